output "environment" {
  description = "The configuration keys (environment-variable form) the service gets, secrets excluded."
  value       = local.environment
}

output "environment_file" {
  description = "The content of /etc/orleans-slm/<component>.env."
  value       = local.environment_file
}

output "unit_name" {
  description = "The systemd unit that runs the service."
  value       = local.unit_name
}

output "bootstrap_script" {
  description = "The boot script cloud-init runs (install the runtime, fetch the release, write secrets, start the unit)."
  value       = local.bootstrap_script
}

output "cloud_init" {
  description = "The cloud-init user data for the machine."
  value       = local.cloud_init
}
