terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Keep the state remote and locked per environment, e.g.
  #   backend "s3" {}   and   terraform init -backend-config=prod.s3.tfbackend
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "sangdam-copilot"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
