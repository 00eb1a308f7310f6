output "api_url" {
  description = "Base URL of the API on the frontend VM."
  value       = "http://${aws_eip.frontend.public_ip}:${var.api_port}"
}

output "frontend_public_ip" {
  description = "The only public address of the deployment."
  value       = aws_eip.frontend.public_ip
}

output "silo_private_ips" {
  description = "Private addresses of the silo VMs, by name."
  value       = { for name, instance in aws_instance.silo : name => instance.private_ip }
}

output "postgres_endpoint" {
  description = "RDS PostgreSQL address (private)."
  value       = aws_db_instance.postgres.address
}
