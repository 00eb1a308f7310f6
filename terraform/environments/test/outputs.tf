output "api_address" {
  description = "Load balancer host name of the API (empty until provisioned: run `terraform refresh` a minute later)."
  value       = module.platform.api_address
}

output "api_url" {
  description = "Base URL of the OpenAI-compatible API."
  value       = module.platform.api_address == "" ? "" : "${var.certificate_arn == "" ? "http" : "https"}://${module.platform.api_address}"
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = module.platform.cluster_name
}

output "ecr_repositories" {
  description = "Where to push the images."
  value       = module.platform.ecr_repositories
}

output "model_mirror" {
  description = "Where to copy models (Model:MirrorUrl)."
  value       = module.platform.model_mirror
}
