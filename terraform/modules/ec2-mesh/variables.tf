variable "name" {
  description = "Prefix of every resource."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
  default     = "10.50.0.0/16"
}

variable "api_port" {
  description = "Port of the frontend's HTTP API, open to api_cidrs."
  type        = number
  default     = 8080
}

variable "api_cidrs" {
  description = "Who may call the API."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "ssh_cidr" {
  description = "Who may SSH to the frontend (which is also the bastion for the silos); empty: nobody."
  type        = string
  default     = ""

  validation {
    condition     = !contains(["0.0.0.0/0", "::/0"], var.ssh_cidr)
    error_message = "ssh_cidr must not open SSH to the whole internet; give your own address, e.g. 203.0.113.7/32."
  }
}

variable "key_name" {
  description = "EC2 key pair for SSH; empty: none."
  type        = string
  default     = ""
}

variable "cpu_silo_count" {
  description = "How many CPU silo VMs."
  type        = number
  default     = 2
}

variable "gpu_silo_count" {
  description = "How many GPU silo VMs."
  type        = number
  default     = 0
}

variable "instance_types" {
  description = "Instance types per role."
  type = object({
    frontend = optional(string, "t3.medium")
    cpu_silo = optional(string, "c7i.xlarge")
    gpu_silo = optional(string, "g6.xlarge")
  })
  default = {}
}

variable "release_url" {
  description = "https:// or s3:// base holding the release archives (orleans-slm-silo.tar.gz, orleans-slm-silo-gpu.tar.gz, orleans-slm-frontend.tar.gz)."
  type        = string
}

variable "model" {
  description = "Model section of the silos; mirror_url is typically s3://<bucket>/mirror."
  type = object({
    id            = optional(string, "HuggingFaceTB/SmolLM2-135M-Instruct")
    cpu_precision = optional(string, "int8")
    gpu_precision = optional(string, "fp32")
    mirror_url    = optional(string, "")
  })
  default = {}
}

variable "api_keys" {
  description = "API keys the frontend accepts; stored in Secrets Manager."
  type        = list(string)
  sensitive   = true
}

variable "postgres_instance_class" {
  description = "RDS PostgreSQL instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
