locals {
  namespace = "orleans-slm"
  charts    = "${path.module}/../../../helm"
  gpu_silos = var.gpu_nodes.max_size > 0 && var.silos.gpu > 0
  mirror    = "s3://${aws_s3_bucket.models.bucket}/mirror"
}

resource "kubernetes_namespace_v1" "app" {
  metadata {
    name = local.namespace
  }
  depends_on = [module.eks]
}

resource "kubernetes_secret_v1" "postgres" {
  metadata {
    name      = "orleans-slm-postgres"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
  }
  data = {
    connectionString = local.postgres_connection_string
  }
}

resource "kubernetes_secret_v1" "redis" {
  metadata {
    name      = "orleans-slm-redis"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
  }
  data = {
    connectionString = local.redis_connection_string
  }
}

# Every frontend replica signs and checks dashboard sign-ins with the same secret.
resource "random_password" "dashboard_session" {
  length  = 48
  special = false
}

# Keys are the variable names the frontend reads: Auth__ApiKeys__0, Auth__ApiKeys__1, …, Dashboard__SessionSecret
resource "kubernetes_secret_v1" "api_keys" {
  metadata {
    name      = "orleans-slm-api-keys"
    namespace = kubernetes_namespace_v1.app.metadata[0].name
  }
  data = merge(
    { for index, key in var.api_keys : "Auth__ApiKeys__${index}" => key },
    { Dashboard__SessionSecret = random_password.dashboard_session.result },
  )
}

resource "helm_release" "silo_cpu" {
  name      = "orleans-slm-silo-cpu"
  namespace = kubernetes_namespace_v1.app.metadata[0].name
  chart     = "${local.charts}/orleans-slm-silo"

  values = [yamlencode({
    role  = "cpu"
    image = { repository = aws_ecr_repository.image["silo"].repository_url, tag = var.image_tag }
    model = { id = var.model.id, precision = var.model.cpu_precision, mirrorUrl = local.mirror }
    autoscaling = {
      mode        = "hpa"
      minReplicas = var.silos.cpu_min
      maxReplicas = var.silos.cpu_max
    }
    nodeSelector = { "orleans-slm/node-role" = "cpu" }
  })]

  depends_on = [kubernetes_secret_v1.postgres, kubernetes_secret_v1.redis, aws_eks_pod_identity_association.silo]
}

resource "helm_release" "silo_gpu" {
  count = local.gpu_silos ? 1 : 0

  name      = "orleans-slm-silo-gpu"
  namespace = kubernetes_namespace_v1.app.metadata[0].name
  chart     = "${local.charts}/orleans-slm-silo"

  values = [yamlencode({
    role         = "gpu"
    replicaCount = var.silos.gpu
    image        = { repository = aws_ecr_repository.image["silo"].repository_url, tag = "${var.image_tag}-gpu" }
    model        = { id = var.model.id, precision = var.model.gpu_precision, mirrorUrl = local.mirror }
    autoscaling  = { mode = "none" }
    # The CPU release already applied the schema.
    migration = { enabled = false }
  })]

  depends_on = [helm_release.silo_cpu, helm_release.nvidia_device_plugin]
}

resource "helm_release" "frontend" {
  name      = "orleans-slm-frontend"
  namespace = kubernetes_namespace_v1.app.metadata[0].name
  chart     = "${local.charts}/orleans-slm-frontend"

  values = [yamlencode({
    image = { repository = aws_ecr_repository.image["frontend"].repository_url, tag = var.image_tag }
    auth  = { existingSecret = kubernetes_secret_v1.api_keys.metadata[0].name }
    # The ALB's nodes, in the VPC, forward the client's address and scheme.
    forwardedHeaders = { knownNetworks = [var.vpc_cidr] }
    autoscaling = {
      enabled     = true
      minReplicas = var.frontend_replicas.min
      maxReplicas = var.frontend_replicas.max
    }
    gateway = {
      createClass    = true
      className      = "aws-alb"
      scheme         = "internet-facing"
      certificateArn = var.certificate_arn
    }
    nodeSelector = { "orleans-slm/node-role" = "cpu" }
  })]

  depends_on = [helm_release.aws_load_balancer_controller, helm_release.silo_cpu]
}

data "kubernetes_resource" "gateway" {
  api_version = "gateway.networking.k8s.io/v1"
  kind        = "Gateway"
  metadata {
    name      = "orleans-slm-frontend"
    namespace = local.namespace
  }
  depends_on = [helm_release.frontend]
}
