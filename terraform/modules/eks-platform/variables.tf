variable "name" {
  description = "Prefix of every resource, and the EKS cluster name."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; split into public, private and database subnets over the availability zones."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zone_count" {
  description = "How many availability zones the subnets span."
  type        = number
  default     = 2

  validation {
    condition     = var.availability_zone_count >= 2
    error_message = "EKS and Aurora need subnets in at least two availability zones."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the VPC (cheaper) instead of one per availability zone."
  type        = bool
  default     = true
}

variable "cpu_nodes" {
  description = "The CPU managed node group (frontends and CPU silos)."
  type = object({
    instance_types = optional(list(string), ["c7i.xlarge"])
    min_size       = optional(number, 2)
    max_size       = optional(number, 6)
    desired_size   = optional(number, 2)
  })
  default = {}
}

variable "gpu_nodes" {
  description = "The GPU managed node group (AL2023 NVIDIA AMI), tainted nvidia.com/gpu=true:NoSchedule. desired_size 0 creates none."
  type = object({
    instance_types = optional(list(string), ["g6.xlarge"])
    min_size       = optional(number, 0)
    max_size       = optional(number, 2)
    desired_size   = optional(number, 1)
  })
  default = {}
}

variable "aurora" {
  description = "Aurora PostgreSQL Serverless v2 capacity, in ACUs."
  type = object({
    engine_version = optional(string, "16.6")
    min_capacity   = optional(number, 0.5)
    max_capacity   = optional(number, 4)
    instance_count = optional(number, 1)
  })
  default = {}
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.micro"
}

variable "image_tag" {
  description = "Tag of the images in the ECR repositories (the GPU silo uses <tag>-gpu)."
  type        = string
}

variable "silos" {
  description = "Silo replica counts (the HPA scales the CPU silos between these bounds)."
  type = object({
    cpu_min = optional(number, 2)
    cpu_max = optional(number, 6)
    gpu     = optional(number, 1)
  })
  default = {}
}

variable "frontend_replicas" {
  description = "Frontend replica bounds for its HPA."
  type = object({
    min = optional(number, 2)
    max = optional(number, 6)
  })
  default = {}
}

variable "model" {
  description = "The Model section: id and precision per role; the mirror is the bucket this module creates."
  type = object({
    id            = optional(string, "HuggingFaceTB/SmolLM2-135M-Instruct")
    cpu_precision = optional(string, "int8")
    gpu_precision = optional(string, "fp32")
  })
  default = {}
}

variable "api_keys" {
  description = "API keys the frontend accepts (Auth:ApiKeys)."
  type        = list(string)
  sensitive   = true

  validation {
    condition     = length(var.api_keys) > 0 && alltrue([for key in var.api_keys : length(key) >= 16])
    error_message = "Give at least one API key of 16 characters or more."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for an HTTPS listener on the load balancer; empty: HTTP only."
  type        = string
  default     = ""
}

variable "chart_versions" {
  description = "Versions of the third-party Helm charts and of the Gateway API CRDs."
  type = object({
    aws_load_balancer_controller = optional(string, "1.14.0")
    nvidia_device_plugin         = optional(string, "0.17.3")
    gateway_api                  = optional(string, "v1.3.0")
  })
  default = {}
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
