module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = var.name
  kubernetes_version = var.kubernetes_version

  endpoint_public_access                   = true
  enable_cluster_creator_admin_permissions = true

  vpc_id                   = module.vpc.vpc_id
  subnet_ids               = module.vpc.private_subnets
  control_plane_subnet_ids = module.vpc.private_subnets

  addons = {
    coredns = {}
    eks-pod-identity-agent = {
      before_compute = true
    }
    kube-proxy = {}
    vpc-cni = {
      before_compute = true
    }
  }

  eks_managed_node_groups = merge(
    {
      cpu = {
        ami_type       = "AL2023_x86_64_STANDARD"
        instance_types = var.cpu_nodes.instance_types
        min_size       = var.cpu_nodes.min_size
        max_size       = var.cpu_nodes.max_size
        desired_size   = var.cpu_nodes.desired_size
        labels = {
          "orleans-slm/node-role" = "cpu"
        }
      }
    },
    var.gpu_nodes.max_size == 0 ? {} : {
      gpu = {
        ami_type       = "AL2023_x86_64_NVIDIA"
        instance_types = var.gpu_nodes.instance_types
        min_size       = var.gpu_nodes.min_size
        max_size       = var.gpu_nodes.max_size
        desired_size   = var.gpu_nodes.desired_size
        disk_size      = 100
        labels = {
          "orleans-slm/node-role" = "gpu"
        }
        # Only pods that tolerate the taint (the GPU silos, the device plugin) land on GPU nodes.
        taints = {
          gpu = {
            key    = "nvidia.com/gpu"
            value  = "true"
            effect = "NO_SCHEDULE"
          }
        }
      }
    }
  )

  tags = var.tags
}
