variable "role" {
  description = "What the machine runs: silo-cpu, silo-gpu or frontend."
  type        = string

  validation {
    condition     = contains(["silo-cpu", "silo-gpu", "frontend"], var.role)
    error_message = "role must be silo-cpu, silo-gpu or frontend."
  }
}

variable "aws_region" {
  description = "Region of the Secrets Manager secrets the machine reads at boot."
  type        = string
}

variable "cluster_id" {
  description = "Orleans:ClusterId."
  type        = string
  default     = "orleans-slm"
}

variable "service_id" {
  description = "Orleans:ServiceId."
  type        = string
  default     = "orleans-slm"
}

variable "model" {
  description = "The Model section for silos (Model:Id, Model:Precision, Model:MirrorUrl, Model:MaxBatch, Model:MaxContext)."
  type = object({
    id          = optional(string, "HuggingFaceTB/SmolLM2-135M-Instruct")
    precision   = optional(string, "int8")
    mirror_url  = optional(string, "")
    max_batch   = optional(number, 16)
    max_context = optional(number, 2048)
  })
  default = {}

  validation {
    condition     = contains(["fp32", "int8", "int4"], var.model.precision)
    error_message = "model.precision must be fp32, int8 or int4."
  }
}

variable "release_url" {
  description = "Base URL (https:// or s3://) holding orleans-slm-silo.tar.gz, orleans-slm-silo-gpu.tar.gz and orleans-slm-frontend.tar.gz."
  type        = string

  validation {
    condition     = can(regex("^(https|s3)://", var.release_url))
    error_message = "release_url must start with https:// or s3://."
  }
}

variable "postgres" {
  description = "Where PostgreSQL is, and the Secrets Manager secret (JSON with username and password) that holds its credentials."
  type = object({
    host       = string
    port       = optional(number, 5432)
    database   = string
    secret_arn = string
  })
}

variable "api_keys_secret_arn" {
  description = "Frontend only: a Secrets Manager secret holding a JSON array of API keys (Auth:ApiKeys)."
  type        = string
  default     = ""
}

variable "rate_limit_requests_per_minute" {
  description = "Frontend only: RateLimit:RequestsPerMinute."
  type        = number
  default     = 600
}

variable "rate_limit_tokens_per_minute" {
  description = "Frontend only: RateLimit:TokensPerMinute (prompt estimate plus max_tokens per key in any 60 s; 0 is off)."
  type        = number
  default     = 200000
}

variable "rate_limit_max_concurrent_requests" {
  description = "Frontend only: RateLimit:MaxConcurrentRequests (chat completions per key at once; 0 is off)."
  type        = number
  default     = 8
}

variable "dotnet_channel" {
  description = "The ASP.NET Core runtime channel installed on the machine."
  type        = string
  default     = "10.0"
}
