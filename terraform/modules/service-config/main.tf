# Renders what one EC2 machine needs to run a silo or the frontend: the environment file with the README's
# configuration keys, the systemd unit, and the cloud-init document that installs and starts them.
# No providers and no resources: the other configurations call it, and `terraform test` checks it offline.
locals {
  is_silo   = var.role != "frontend"
  component = local.is_silo ? "silo" : "frontend"
  archive   = var.role == "silo-gpu" ? "orleans-slm-silo-gpu.tar.gz" : "orleans-slm-${local.component}.tar.gz"

  common_environment = {
    Orleans__ClusterId = var.cluster_id
    Orleans__ServiceId = var.service_id
  }

  silo_environment = {
    Orleans__SiloPort       = "11111"
    Orleans__GatewayPort    = "30000"
    Orleans__Metadata__role = var.role == "silo-gpu" ? "gpu" : "cpu"
    Model__Id               = var.model.id
    Model__Precision        = var.model.precision
    Model__Device           = var.role == "silo-gpu" ? "cuda" : "cpu"
    Model__MirrorUrl        = var.model.mirror_url
    Model__MaxBatch         = tostring(var.model.max_batch)
    Model__MaxContext       = tostring(var.model.max_context)
  }

  frontend_environment = {
    Orleans__Metadata__role              = "frontend"
    Orleans__ClientConnectTimeoutSeconds = "120"
    RateLimit__RequestsPerMinute         = tostring(var.rate_limit_requests_per_minute)
    RateLimit__TokensPerMinute           = tostring(var.rate_limit_tokens_per_minute)
    RateLimit__MaxConcurrentRequests     = tostring(var.rate_limit_max_concurrent_requests)
  }

  environment = merge(local.common_environment, local.is_silo ? local.silo_environment : local.frontend_environment)

  # Values are written without quotes, as systemd's EnvironmentFile reads them; none of them holds a newline.
  environment_file = join("", [for key in sort(keys(local.environment)) : "${key}=${local.environment[key]}\n"])

  unit_name = "orleans-slm-${local.component}.service"
  unit_file = file("${path.module}/../../../deploy/systemd/${local.unit_name}")

  bootstrap_script = templatefile("${path.module}/templates/bootstrap.sh.tftpl", {
    component           = local.component
    archive             = local.archive
    release_url         = trimsuffix(var.release_url, "/")
    aws_region          = var.aws_region
    dotnet_channel      = var.dotnet_channel
    postgres_host       = var.postgres.host
    postgres_port       = var.postgres.port
    postgres_database   = var.postgres.database
    postgres_secret_arn = var.postgres.secret_arn
    api_keys_secret_arn = local.is_silo ? "" : var.api_keys_secret_arn
    unit_name           = local.unit_name
  })

  cloud_init = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", {
    component        = local.component
    environment_file = local.environment_file
    unit_name        = local.unit_name
    unit_file        = local.unit_file
    bootstrap_script = local.bootstrap_script
  })
}
