# Amazon OpenSearch Service domain inside the VPC. The service ships the analysis-nori (Korean), k-NN and
# neural-search plugins the backend needs. Reachable only from the dashboard security group on 443; users
# and roles through fine-grained access control (the app logs in with the master user below; a narrower
# role is described in infra/README.md).

resource "aws_iam_service_linked_role" "opensearch" {
  count = var.create_opensearch_service_linked_role ? 1 : 0

  aws_service_name = "opensearchservice.amazonaws.com"
}

resource "random_password" "opensearch_master" {
  length           = 32
  special          = true
  override_special = "!#%*-_=+"
  min_upper        = 1
  min_lower        = 1
  min_numeric      = 1
  min_special      = 1
}

resource "aws_secretsmanager_secret" "opensearch_master" {
  name_prefix             = "${local.prefix}/opensearch-master-"
  description             = "OpenSearch master user password (SANGDAM_OPENSEARCH_PASSWORD)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "opensearch_master" {
  secret_id     = aws_secretsmanager_secret.opensearch_master.id
  secret_string = random_password.opensearch_master.result
}

# With fine-grained access control the resource policy is open and the security group plus the internal
# user database decide (AWS's recommended pairing); the domain has no public endpoint.
data "aws_iam_policy_document" "opensearch_access" {
  statement {
    effect    = "Allow"
    actions   = ["es:ESHttp*"]
    resources = ["arn:aws:es:${var.region}:${data.aws_caller_identity.current.account_id}:domain/${local.prefix}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain" "main" {
  domain_name    = local.prefix
  engine_version = var.opensearch_engine_version

  cluster_config {
    instance_type          = var.opensearch_instance_type
    instance_count         = var.opensearch_instance_count
    zone_awareness_enabled = var.opensearch_instance_count > 1

    dynamic "zone_awareness_config" {
      for_each = var.opensearch_instance_count > 1 ? [1] : []
      content {
        availability_zone_count = 2
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.opensearch_volume_gb
  }

  vpc_options {
    subnet_ids         = var.opensearch_instance_count > 1 ? aws_subnet.private[*].id : [aws_subnet.private[0].id]
    security_group_ids = [aws_security_group.opensearch.id]
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }

  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = true

    master_user_options {
      master_user_name     = var.opensearch_master_user
      master_user_password = random_password.opensearch_master.result
    }
  }

  access_policies = data.aws_iam_policy_document.opensearch_access.json

  depends_on = [aws_iam_service_linked_role.opensearch]
}
