# Reference AWS deployment of 상담 코파일럿 (see ../README.md and the project README's production section):
#
#   agents' browsers ──HTTPS──► ALB (public subnets) ──► dashboard on ECS Fargate (private subnets)
#                                                          ├─► OpenSearch domain (VPC, 443, nori + k-NN)
#                                                          ├─► vLLM on a GPU EC2 instance (8000, base model + LoRA)
#                                                          ├─► S3 bucket (manuals, attachments; presigned links)
#                                                          └─► EFS (SANGDAM_HOME: embedding cache, run records)
#   ingest: the same image as a one-off ECS task (`sangdam ingest s3://<bucket>/source/`).
#
# Files by concern: network.tf, security_groups.tf, s3.tf, opensearch.tf, vllm.tf, dashboard.tf.

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  prefix = "${var.name}-${var.environment}"
  azs    = slice(data.aws_availability_zones.available.names, 0, 2)

  # HTTPS when a certificate is given; plain HTTP otherwise (a trial only: agents' questions cross the network).
  https = var.certificate_arn != ""

  bucket_name = coalesce(var.bucket_name, "${local.prefix}-manuals-${data.aws_caller_identity.current.account_id}")

  app_image     = "${aws_ecr_repository.app.repository_url}:${var.app_image_tag}"
  vllm_base_url = "http://${aws_instance.vllm.private_ip}:8000/v1"

  # Settings every app container gets (backend/config.py, SANGDAM_*); they win over var.app_settings.
  app_wiring = {
    SANGDAM_HOME                    = "/data"
    SANGDAM_SEARCH_BACKEND          = "opensearch"
    SANGDAM_OPENSEARCH_URL          = "https://${aws_opensearch_domain.main.endpoint}"
    SANGDAM_OPENSEARCH_USER         = var.opensearch_master_user
    SANGDAM_OPENSEARCH_VERIFY_CERTS = "true"
    SANGDAM_LLM_BASE_URL            = local.vllm_base_url
    SANGDAM_LLM_MODEL               = var.vllm_lora_name
    SANGDAM_LLM_CONTEXT_TOKENS      = tostring(var.vllm_max_model_len)
    SANGDAM_ATTACHMENT_STORE        = "s3"
    SANGDAM_S3_BUCKET               = aws_s3_bucket.manuals.bucket
    SANGDAM_S3_PREFIX               = var.s3_attachments_prefix
    SANGDAM_S3_REGION               = var.region
    SANGDAM_MANUALS_SOURCE          = "s3://${aws_s3_bucket.manuals.bucket}/${var.s3_source_prefix}"
  }
  app_environment = [
    for key, value in merge(var.app_settings, local.app_wiring) : { name = key, value = value }
  ]
  # Secrets Manager → environment variables, injected by ECS at start (never in the task definition).
  app_secrets = [
    { name = "SANGDAM_OPENSEARCH_PASSWORD", valueFrom = aws_secretsmanager_secret.opensearch_master.arn },
    { name = "SANGDAM_LLM_API_KEY", valueFrom = aws_secretsmanager_secret.vllm_api_key.arn },
  ]
}
