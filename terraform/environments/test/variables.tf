variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name; prefixes every resource."
  type        = string
  default     = "test"
}

variable "image_tag" {
  description = "Image tag pushed to the ECR repositories (the GPU silo is <tag>-gpu)."
  type        = string
}

variable "api_keys" {
  description = "API keys the frontend accepts."
  type        = list(string)
  sensitive   = true
}

variable "cpu_node_instance_types" {
  description = "Instance types of the CPU node group."
  type        = list(string)
  default     = ["c7i.xlarge"]
}

variable "cpu_node_count" {
  description = "CPU nodes: desired, min and max."
  type = object({
    desired = number
    min     = number
    max     = number
  })
  default = { desired = 2, min = 2, max = 4 }
}

variable "gpu_node_instance_types" {
  description = "Instance types of the GPU node group."
  type        = list(string)
  default     = ["g6.xlarge"]
}

variable "gpu_node_count" {
  description = "GPU nodes: desired, min and max (max 0: no GPU node group, no GPU silos)."
  type = object({
    desired = number
    min     = number
    max     = number
  })
  default = { desired = 1, min = 0, max = 1 }
}

variable "cpu_silos" {
  description = "CPU silo replicas: min and max of the HPA."
  type = object({
    min = number
    max = number
  })
  default = { min = 2, max = 4 }
}

variable "gpu_silos" {
  description = "GPU silo replicas."
  type        = number
  default     = 1
}

variable "aurora_capacity" {
  description = "Aurora Serverless v2 capacity range in ACUs."
  type = object({
    min = number
    max = number
  })
  default = { min = 0.5, max = 2 }
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS; empty: HTTP only."
  type        = string
  default     = ""
}
