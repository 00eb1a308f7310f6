variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "release_url" {
  description = "s3:// or https:// base of the release archives."
  type        = string
}

variable "model_mirror_url" {
  description = "Model:MirrorUrl, e.g. s3://<bucket>/mirror; empty: the silos download from the model hub."
  type        = string
  default     = ""
}

variable "api_keys" {
  description = "API keys the frontend accepts."
  type        = list(string)
  sensitive   = true
}

variable "ssh_cidr" {
  description = "Your address for SSH to the frontend, e.g. 203.0.113.7/32; empty: no SSH."
  type        = string
  default     = ""
}

variable "key_name" {
  description = "EC2 key pair name for SSH."
  type        = string
  default     = ""
}

variable "cpu_silo_count" {
  description = "CPU silo VMs."
  type        = number
  default     = 2
}

variable "gpu_silo_count" {
  description = "GPU silo VMs."
  type        = number
  default     = 0
}
