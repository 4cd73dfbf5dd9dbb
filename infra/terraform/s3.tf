# One private bucket: source/ (HTML manuals and attachments as uploaded), manuals/ (what the app links,
# opened by agents through presigned URLs), adapters/ (LoRA adapters for the vLLM instance).

resource "aws_s3_bucket" "manuals" {
  bucket = local.bucket_name
}

resource "aws_s3_bucket_public_access_block" "manuals" {
  bucket = aws_s3_bucket.manuals.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "manuals" {
  bucket = aws_s3_bucket.manuals.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "manuals" {
  bucket = aws_s3_bucket.manuals.id

  rule {
    # SSE-S3. For a customer-managed key use aws:kms + kms_master_key_id, and give the task roles kms:Decrypt.
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "manuals" {
  bucket = aws_s3_bucket.manuals.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "manuals" {
  bucket = aws_s3_bucket.manuals.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 90
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.manuals]
}

data "aws_iam_policy_document" "manuals_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.manuals.arn,
      "${aws_s3_bucket.manuals.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "manuals" {
  bucket = aws_s3_bucket.manuals.id
  policy = data.aws_iam_policy_document.manuals_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.manuals]
}
