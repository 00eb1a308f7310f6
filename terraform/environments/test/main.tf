module "platform" {
  source = "../../modules/eks-platform"

  name      = "orleans-slm-${var.environment}"
  image_tag = var.image_tag
  api_keys  = var.api_keys

  availability_zone_count = 2
  single_nat_gateway      = true

  cpu_nodes = {
    instance_types = var.cpu_node_instance_types
    desired_size   = var.cpu_node_count.desired
    min_size       = var.cpu_node_count.min
    max_size       = var.cpu_node_count.max
  }
  gpu_nodes = {
    instance_types = var.gpu_node_instance_types
    desired_size   = var.gpu_node_count.desired
    min_size       = var.gpu_node_count.min
    max_size       = var.gpu_node_count.max
  }

  silos = {
    cpu_min = var.cpu_silos.min
    cpu_max = var.cpu_silos.max
    gpu     = var.gpu_silos
  }

  aurora = {
    min_capacity = var.aurora_capacity.min
    max_capacity = var.aurora_capacity.max
  }

  certificate_arn = var.certificate_arn
  tags            = local.tags
}
