# --- general ---
variable "region" {
  description = "AWS region (Seoul by default)."
  type        = string
  default     = "ap-northeast-2"
}

variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "sangdam"
}

variable "environment" {
  description = "Environment name (prod, staging, ...), part of resource names."
  type        = string
  default     = "prod"
}

# --- network ---
variable "vpc_cidr" {
  description = "CIDR of the VPC; two public and two private /24 subnets are carved from it."
  type        = string
  default     = "10.20.0.0/16"
}

variable "allowed_cidrs" {
  description = "Networks allowed to reach the dashboard's load balancer (the call centre's egress ranges)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidrs) > 0 && alltrue([for c in var.allowed_cidrs : can(cidrnetmask(c))])
    error_message = "allowed_cidrs needs at least one IPv4 CIDR, e.g. [\"203.0.113.0/24\"]."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener. Empty: HTTP on port 80 only (a trial, never production)."
  type        = string
  default     = ""
}

# --- S3 ---
variable "bucket_name" {
  description = "Bucket for manuals and attachments. Empty: <name>-<environment>-manuals-<account id>."
  type        = string
  default     = ""
}

variable "s3_source_prefix" {
  description = "Where the HTML manuals (and their attachments) are uploaded; the ingest job reads it."
  type        = string
  default     = "source/"
}

variable "s3_attachments_prefix" {
  description = "Where the app keeps the attachments and original pages it links (SANGDAM_S3_PREFIX)."
  type        = string
  default     = "manuals/"
}

variable "s3_adapters_prefix" {
  description = "Where the LoRA adapters live; the vLLM instance syncs <prefix><vllm_lora_name>/ at boot."
  type        = string
  default     = "adapters/"
}

# --- OpenSearch ---
variable "opensearch_engine_version" {
  description = "Amazon OpenSearch Service engine (2.19+ for the hybrid query and score-ranker pipelines)."
  type        = string
  default     = "OpenSearch_2.19"
}

variable "opensearch_instance_type" {
  description = "Data node instance type."
  type        = string
  default     = "r6g.large.search"
}

variable "opensearch_instance_count" {
  description = "Data nodes; 2 or more spreads them over two availability zones."
  type        = number
  default     = 2
}

variable "opensearch_volume_gb" {
  description = "EBS (gp3) volume per data node, in GiB."
  type        = number
  default     = 50
}

variable "opensearch_master_user" {
  description = "Fine-grained access control master user (the app's OpenSearch user; see infra/README.md for a narrower role)."
  type        = string
  default     = "sangdam-admin"
}

variable "create_opensearch_service_linked_role" {
  description = "Create AWSServiceRoleForAmazonOpenSearchService (needed once per account for VPC domains)."
  type        = bool
  default     = false
}

# --- vLLM (GPU instance) ---
variable "vllm_instance_type" {
  description = "GPU instance. A 12.8B model in bf16 needs ~26 GB for weights: g6e.xlarge (L40S 48 GB); g5/g6 (24 GB) fit a quantized or smaller model."
  type        = string
  default     = "g6e.xlarge"
}

variable "vllm_ami_ssm_parameter" {
  description = "SSM public parameter of the AMI: AWS Deep Learning Base OSS Nvidia Driver GPU AMI (NVIDIA driver, Docker, NVIDIA container toolkit)."
  type        = string
  default     = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id"
}

variable "vllm_root_volume_gb" {
  description = "Root volume (image, Hugging Face cache with the base model), GiB."
  type        = number
  default     = 200
}

variable "vllm_image_tag" {
  description = "vllm/vllm-openai image tag (pinned)."
  type        = string
  default     = "v0.32.0"
}

variable "vllm_base_model" {
  description = "Base model: a Hugging Face model id (downloaded at first boot) or a path on the instance."
  type        = string
}

variable "vllm_served_model_name" {
  description = "Name of the base model itself in the API."
  type        = string
  default     = "sangdam-base"
}

variable "vllm_lora_name" {
  description = "LoRA adapter name (--lora-modules) = the model the app asks for (SANGDAM_LLM_MODEL)."
  type        = string
  default     = "sangdam"
}

variable "vllm_max_lora_rank" {
  description = "At least the adapter's rank r."
  type        = number
  default     = 16
}

variable "vllm_max_model_len" {
  description = "Context window (--max-model-len); the app's SANGDAM_LLM_CONTEXT_TOKENS is set to it."
  type        = number
  default     = 4096
}

variable "vllm_gpu_memory_utilization" {
  description = "Share of GPU memory vLLM may use."
  type        = number
  default     = 0.9
}

variable "hf_token_secret_arn" {
  description = "Optional Secrets Manager secret holding a Hugging Face token (gated base models)."
  type        = string
  default     = ""
}

# --- dashboard and ingest (ECS Fargate) ---
variable "app_image_tag" {
  description = "Tag of the app image pushed to the ECR repository (the root Dockerfile)."
  type        = string
  default     = "0.1.0"
}

variable "dashboard_desired_count" {
  description = "Dashboard tasks behind the load balancer (sticky sessions keep a Streamlit session on one task)."
  type        = number
  default     = 2
}

variable "dashboard_cpu" {
  description = "Fargate CPU units per dashboard task."
  type        = number
  default     = 1024
}

variable "dashboard_memory" {
  description = "Fargate memory (MiB) per dashboard task."
  type        = number
  default     = 4096
}

variable "ingest_cpu" {
  description = "Fargate CPU units of the ingest task."
  type        = number
  default     = 4096
}

variable "ingest_memory" {
  description = "Fargate memory (MiB) of the ingest task."
  type        = number
  default     = 8192
}

variable "app_settings" {
  description = "Further app settings (SANGDAM_* of backend/config.py, e.g. SANGDAM_KEYWORD_WEIGHT) for the dashboard and ingest tasks."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.app_settings) : startswith(key, "SANGDAM_")])
    error_message = "app_settings keys are app settings: SANGDAM_<FIELD> (see .env.example)."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the app containers."
  type        = number
  default     = 30
}
