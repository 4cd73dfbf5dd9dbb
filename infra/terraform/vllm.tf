# vLLM on one GPU instance in a private subnet: the vllm/vllm-openai container (base model + the LoRA
# adapter synced from S3) started by user data. Port 8000 admits only the dashboard security group, and
# the API also requires a key (Secrets Manager) that the dashboard gets as SANGDAM_LLM_API_KEY.
# No SSH: operators use SSM Session Manager. (A SageMaker real-time endpoint with the LMI/vLLM container
# is the managed alternative; the app only needs an OpenAI-compatible URL.)

data "aws_ssm_parameter" "vllm_ami" {
  name = var.vllm_ami_ssm_parameter
}

resource "random_password" "vllm_api_key" {
  length  = 48
  special = false
}

resource "aws_secretsmanager_secret" "vllm_api_key" {
  name_prefix             = "${local.prefix}/vllm-api-key-"
  description             = "vLLM API key (VLLM_API_KEY on the instance, SANGDAM_LLM_API_KEY in the app)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "vllm_api_key" {
  secret_id     = aws_secretsmanager_secret.vllm_api_key.id
  secret_string = random_password.vllm_api_key.result
}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "vllm" {
  name_prefix        = "${local.prefix}-vllm-"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy_attachment" "vllm_ssm" {
  role       = aws_iam_role.vllm.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "vllm" {
  statement {
    sid       = "ReadAdapters"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.manuals.arn}/${var.s3_adapters_prefix}*"]
  }

  statement {
    sid       = "ListAdapters"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.manuals.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.s3_adapters_prefix}*"]
    }
  }

  statement {
    sid     = "ReadSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = compact([
      aws_secretsmanager_secret.vllm_api_key.arn,
      var.hf_token_secret_arn,
    ])
  }
}

resource "aws_iam_role_policy" "vllm" {
  name   = "adapters-and-secrets"
  role   = aws_iam_role.vllm.id
  policy = data.aws_iam_policy_document.vllm.json
}

resource "aws_iam_instance_profile" "vllm" {
  name_prefix = "${local.prefix}-vllm-"
  role        = aws_iam_role.vllm.name
}

resource "aws_instance" "vllm" {
  ami                         = data.aws_ssm_parameter.vllm_ami.insecure_value
  instance_type               = var.vllm_instance_type
  subnet_id                   = aws_subnet.private[0].id
  vpc_security_group_ids      = [aws_security_group.vllm.id]
  iam_instance_profile        = aws_iam_instance_profile.vllm.name
  associate_public_ip_address = false
  ebs_optimized               = true
  monitoring                  = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = var.vllm_root_volume_gb
    encrypted   = true
  }

  user_data = templatefile("${path.module}/templates/vllm-user-data.sh.tftpl", {
    region                 = var.region
    bucket                 = aws_s3_bucket.manuals.bucket
    adapters_prefix        = var.s3_adapters_prefix
    api_key_secret_arn     = aws_secretsmanager_secret.vllm_api_key.arn
    hf_token_secret_arn    = var.hf_token_secret_arn
    image_tag              = var.vllm_image_tag
    base_model             = var.vllm_base_model
    served_model_name      = var.vllm_served_model_name
    lora_name              = var.vllm_lora_name
    max_lora_rank          = var.vllm_max_lora_rank
    max_model_len          = var.vllm_max_model_len
    gpu_memory_utilization = var.vllm_gpu_memory_utilization
  })
  user_data_replace_on_change = true

  tags = { Name = "${local.prefix}-vllm" }

  lifecycle {
    # A newer AMI behind the SSM parameter must not replace a running instance; replace it deliberately.
    ignore_changes = [ami]
  }
}
