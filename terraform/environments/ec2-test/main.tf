module "mesh" {
  source = "../../modules/ec2-mesh"

  name           = "orleans-slm-ec2-test"
  release_url    = var.release_url
  api_keys       = var.api_keys
  ssh_cidr       = var.ssh_cidr
  key_name       = var.key_name
  cpu_silo_count = var.cpu_silo_count
  gpu_silo_count = var.gpu_silo_count
  model = {
    mirror_url = var.model_mirror_url
  }
}

output "api_url" {
  description = "Base URL of the API."
  value       = module.mesh.api_url
}

output "silo_private_ips" {
  description = "Silo VMs (reach them through the frontend VM)."
  value       = module.mesh.silo_private_ips
}
