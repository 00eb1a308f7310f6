# Gateway API CRDs (standard channel), applied from the project's release manifest.
data "http" "gateway_api_crds" {
  url = "https://github.com/kubernetes-sigs/gateway-api/releases/download/${var.chart_versions.gateway_api}/standard-install.yaml"
}

resource "kubernetes_manifest" "gateway_api_crds" {
  for_each = {
    for manifest in provider::kubernetes::manifest_decode_multi(data.http.gateway_api_crds.response_body) :
    manifest.metadata.name => manifest
  }
  manifest = each.value

  depends_on = [module.eks]
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.chart_versions.aws_load_balancer_controller

  values = [yamlencode({
    clusterName = module.eks.cluster_name
    region      = data.aws_region.current.region
    vpcId       = module.vpc.vpc_id
    serviceAccount = {
      create = true
      name   = "aws-load-balancer-controller"
    }
    controllerConfig = {
      featureGates = {
        ALBGatewayAPI = true
      }
    }
  })]

  depends_on = [module.load_balancer_controller_identity, kubernetes_manifest.gateway_api_crds]
}

# Advertises nvidia.com/gpu on the GPU nodes; the AL2023 NVIDIA AMI brings the driver and container toolkit.
resource "helm_release" "nvidia_device_plugin" {
  count = var.gpu_nodes.max_size > 0 ? 1 : 0

  name       = "nvidia-device-plugin"
  namespace  = "kube-system"
  repository = "https://nvidia.github.io/k8s-device-plugin"
  chart      = "nvidia-device-plugin"
  version    = var.chart_versions.nvidia_device_plugin

  values = [yamlencode({
    nodeSelector = { "orleans-slm/node-role" = "gpu" }
    tolerations = [{
      key      = "nvidia.com/gpu"
      operator = "Exists"
      effect   = "NoSchedule"
    }]
  })]

  depends_on = [module.eks]
}

data "aws_region" "current" {}
