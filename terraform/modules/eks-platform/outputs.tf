output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name …)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "EKS cluster CA (base64)."
  value       = module.eks.cluster_certificate_authority_data
}

output "ecr_repositories" {
  description = "Image repositories: silo (tags <version> and <version>-gpu) and frontend."
  value       = { for name, repository in aws_ecr_repository.image : name => repository.repository_url }
}

output "model_mirror" {
  description = "Model:MirrorUrl of the silos; copy a model to <mirror>/<model id>/."
  value       = local.mirror
}

output "api_address" {
  description = "Host name of the load balancer in front of the frontends (empty until the controller has provisioned it)."
  value       = try(data.kubernetes_resource.gateway.object.status.addresses[0].value, "")
}

output "postgres_endpoint" {
  description = "Aurora writer endpoint."
  value       = module.aurora.cluster_endpoint
}
