module "aurora" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 10.0"

  name           = "${var.name}-postgres"
  engine         = "aurora-postgresql"
  engine_mode    = "provisioned"
  engine_version = var.aurora.engine_version
  database_name  = "orleans"

  master_username = "orleans"
  # The password lives in Secrets Manager, rotated by RDS.
  manage_master_user_password = true

  db_cluster_instance_class = "db.serverless"
  instances                 = { for index in range(var.aurora.instance_count) : "instance-${index + 1}" => {} }
  serverlessv2_scaling_configuration = {
    min_capacity = var.aurora.min_capacity
    max_capacity = var.aurora.max_capacity
  }

  vpc_id               = module.vpc.vpc_id
  db_subnet_group_name = module.vpc.database_subnet_group_name
  security_group_ingress_rules = {
    eks_nodes = {
      referenced_security_group_id = module.eks.node_security_group_id
    }
  }

  storage_encrypted   = true
  apply_immediately   = true
  skip_final_snapshot = true

  tags = var.tags
}

data "aws_secretsmanager_secret_version" "postgres" {
  secret_id = module.aurora.cluster_master_user_secret[0].secret_arn
}

locals {
  postgres_credentials = jsondecode(data.aws_secretsmanager_secret_version.postgres.secret_string)
  postgres_connection_string = join(";", [
    "Host=${module.aurora.cluster_endpoint}",
    "Port=${module.aurora.cluster_port}",
    "Database=orleans",
    "Username=${local.postgres_credentials.username}",
    "Password=${local.postgres_credentials.password}",
    "SSL Mode=Require",
  ])
}
