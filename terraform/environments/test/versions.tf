terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
  }

  # State stays local unless an S3 backend is configured:
  #   terraform init -backend-config=bucket=… -backend-config=key=orleans-slm/test.tfstate -backend-config=region=…
  # after adding `backend "s3" {}` here.
}
