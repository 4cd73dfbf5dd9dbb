# Who may talk to whom. Only the load balancer is reachable from outside (var.allowed_cidrs);
# the dashboard only from the load balancer; vLLM (8000) and OpenSearch (443) only from the dashboard's
# security group, which the ingest task shares. Terraform drops AWS's default allow-all egress rule, so a
# group has only the egress written here (none for OpenSearch and EFS).

resource "aws_security_group" "alb" {
  name        = "${local.prefix}-alb"
  description = "Dashboard load balancer: HTTPS from the allowed networks"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.prefix}-alb" }
}

resource "aws_security_group" "dashboard" {
  name        = "${local.prefix}-dashboard"
  description = "Dashboard and ingest tasks: from the load balancer only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.prefix}-dashboard" }
}

resource "aws_security_group" "vllm" {
  name        = "${local.prefix}-vllm"
  description = "vLLM API: from the dashboard only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.prefix}-vllm" }
}

resource "aws_security_group" "opensearch" {
  name        = "${local.prefix}-opensearch"
  description = "OpenSearch domain: HTTPS from the dashboard only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.prefix}-opensearch" }
}

resource "aws_security_group" "efs" {
  name        = "${local.prefix}-efs"
  description = "SANGDAM_HOME file system: NFS from the dashboard only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.prefix}-efs" }
}

# --- load balancer ---
resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = local.https ? toset(var.allowed_cidrs) : toset([])

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from an allowed network"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

# Port 80 redirects to 443 when a certificate is set; without one it serves the dashboard (trial only).
resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  for_each = toset(var.allowed_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTP from an allowed network (redirect to HTTPS)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_dashboard" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the dashboard tasks"
  ip_protocol                  = "tcp"
  from_port                    = 8501
  to_port                      = 8501
  referenced_security_group_id = aws_security_group.dashboard.id
}

# --- dashboard (and the ingest task) ---
resource "aws_vpc_security_group_ingress_rule" "dashboard_from_alb" {
  security_group_id            = aws_security_group.dashboard.id
  description                  = "Streamlit from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 8501
  to_port                      = 8501
  referenced_security_group_id = aws_security_group.alb.id
}

# Outbound: OpenSearch, vLLM and EFS in the VPC; ECR, CloudWatch Logs and Secrets Manager through the NAT;
# S3 through the gateway endpoint.
resource "aws_vpc_security_group_egress_rule" "dashboard_all" {
  security_group_id = aws_security_group.dashboard.id
  description       = "Outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# --- vLLM ---
resource "aws_vpc_security_group_ingress_rule" "vllm_from_dashboard" {
  security_group_id            = aws_security_group.vllm.id
  description                  = "OpenAI-compatible API from the dashboard"
  ip_protocol                  = "tcp"
  from_port                    = 8000
  to_port                      = 8000
  referenced_security_group_id = aws_security_group.dashboard.id
}

# Outbound through the NAT: the vllm-openai image, the base model from the Hugging Face Hub, S3, SSM.
resource "aws_vpc_security_group_egress_rule" "vllm_all" {
  security_group_id = aws_security_group.vllm.id
  description       = "Outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# --- OpenSearch ---
resource "aws_vpc_security_group_ingress_rule" "opensearch_from_dashboard" {
  security_group_id            = aws_security_group.opensearch.id
  description                  = "HTTPS from the dashboard and ingest tasks"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.dashboard.id
}

# --- EFS ---
resource "aws_vpc_security_group_ingress_rule" "efs_from_dashboard" {
  security_group_id            = aws_security_group.efs.id
  description                  = "NFS from the dashboard and ingest tasks"
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
  referenced_security_group_id = aws_security_group.dashboard.id
}
