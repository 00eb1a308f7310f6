# EKS Pod Identity: the load balancer controller manages ALBs; the silos read the model mirror bucket.
module "load_balancer_controller_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "~> 2.0"

  name                            = "${var.name}-aws-lbc"
  attach_aws_lb_controller_policy = true

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = "kube-system"
      service_account = "aws-load-balancer-controller"
    }
  }

  tags = var.tags
}

data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "read_models" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.models.arn]
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.models.arn}/*"]
  }
}

resource "aws_iam_role" "silo" {
  name               = "${var.name}-silo"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "silo_read_models" {
  name   = "read-model-mirror"
  role   = aws_iam_role.silo.id
  policy = data.aws_iam_policy_document.read_models.json
}

resource "aws_eks_pod_identity_association" "silo" {
  for_each = toset(["cpu", "gpu"])

  cluster_name    = module.eks.cluster_name
  namespace       = kubernetes_namespace_v1.app.metadata[0].name
  service_account = "orleans-slm-silo-${each.key}"
  role_arn        = aws_iam_role.silo.arn
  tags            = var.tags
}
