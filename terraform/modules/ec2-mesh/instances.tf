data "aws_region" "current" {}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720108477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]
  }
}

# NVIDIA driver, CUDA 12 and cuDNN preinstalled.
data "aws_ami" "gpu" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 24.04) *"]
  }
}

locals {
  postgres = {
    host       = aws_db_instance.postgres.address
    port       = aws_db_instance.postgres.port
    database   = aws_db_instance.postgres.db_name
    secret_arn = aws_db_instance.postgres.master_user_secret[0].secret_arn
  }
  model_base = { id = var.model.id, mirror_url = var.model.mirror_url }
  silos = merge(
    { for index in range(var.cpu_silo_count) : "cpu-${index + 1}" => { role = "silo-cpu", gpu = false } },
    { for index in range(var.gpu_silo_count) : "gpu-${index + 1}" => { role = "silo-gpu", gpu = true } },
  )
}

module "frontend_config" {
  source = "../service-config"

  role                = "frontend"
  aws_region          = data.aws_region.current.region
  release_url         = var.release_url
  postgres            = local.postgres
  api_keys_secret_arn = aws_secretsmanager_secret.api_keys.arn
}

module "silo_config" {
  source   = "../service-config"
  for_each = toset(["silo-cpu", "silo-gpu"])

  role        = each.key
  aws_region  = data.aws_region.current.region
  release_url = var.release_url
  postgres    = local.postgres
  model       = merge(local.model_base, { precision = each.key == "silo-gpu" ? var.model.gpu_precision : var.model.cpu_precision })
}

resource "aws_instance" "frontend" {
  ami                         = data.aws_ami.ubuntu.id
  instance_type               = var.instance_types.frontend
  subnet_id                   = module.vpc.public_subnets[0]
  vpc_security_group_ids      = [aws_security_group.frontend.id]
  iam_instance_profile        = aws_iam_instance_profile.vm.name
  key_name                    = var.key_name == "" ? null : var.key_name
  associate_public_ip_address = true
  user_data                   = module.frontend_config.cloud_init
  user_data_replace_on_change = true

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(var.tags, { Name = "${var.name}-frontend", Role = "frontend" })
}

resource "aws_eip" "frontend" {
  instance = aws_instance.frontend.id
  domain   = "vpc"
  tags     = var.tags
}

resource "aws_instance" "silo" {
  for_each = local.silos

  ami                         = each.value.gpu ? data.aws_ami.gpu.id : data.aws_ami.ubuntu.id
  instance_type               = each.value.gpu ? var.instance_types.gpu_silo : var.instance_types.cpu_silo
  subnet_id                   = module.vpc.private_subnets[index(keys(local.silos), each.key) % length(module.vpc.private_subnets)]
  vpc_security_group_ids      = [aws_security_group.silo.id]
  iam_instance_profile        = aws_iam_instance_profile.vm.name
  key_name                    = var.key_name == "" ? null : var.key_name
  associate_public_ip_address = false
  user_data                   = module.silo_config[each.value.role].cloud_init
  user_data_replace_on_change = true

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    volume_size = each.value.gpu ? 100 : 30
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(var.tags, { Name = "${var.name}-silo-${each.key}", Role = each.value.role })
}
