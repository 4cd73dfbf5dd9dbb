# The dashboard: the app image (root Dockerfile) in ECR, run on ECS Fargate in the private subnets behind
# an internet-facing Application Load Balancer. The ingest job is a second task definition of the same
# image, started on demand (see the ingest_run_task_command output). Both mount an EFS access point as
# SANGDAM_HOME so the embedding cache and the ingest run records outlive a task.

resource "aws_ecr_repository" "app" {
  name                 = "${local.prefix}/app"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecs_cluster" "main" {
  name = local.prefix

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${local.prefix}"
  retention_in_days = var.log_retention_days
}

# --- SANGDAM_HOME on EFS ---
resource "aws_efs_file_system" "home" {
  creation_token   = "${local.prefix}-home"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  tags = { Name = "${local.prefix}-home" }
}

resource "aws_efs_mount_target" "home" {
  count = 2

  file_system_id  = aws_efs_file_system.home.id
  subnet_id       = aws_subnet.private[count.index].id
  security_groups = [aws_security_group.efs.id]
}

# uid/gid 10001: the `sangdam` user of the app image.
resource "aws_efs_access_point" "home" {
  file_system_id = aws_efs_file_system.home.id

  posix_user {
    uid = 10001
    gid = 10001
  }

  root_directory {
    path = "/sangdam-home"

    creation_info {
      owner_uid   = 10001
      owner_gid   = 10001
      permissions = "0750"
    }
  }
}

# --- IAM ---
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Used by ECS itself: pull the image, write logs, read the two secrets into the containers' environment.
resource "aws_iam_role" "ecs_execution" {
  name_prefix        = "${local.prefix}-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "ecs_execution" {
  role       = aws_iam_role.ecs_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "ecs_execution_secrets" {
  statement {
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.opensearch_master.arn,
      aws_secretsmanager_secret.vllm_api_key.arn,
    ]
  }
}

resource "aws_iam_role_policy" "ecs_execution_secrets" {
  name   = "app-secrets"
  role   = aws_iam_role.ecs_execution.id
  policy = data.aws_iam_policy_document.ecs_execution_secrets.json
}

data "aws_iam_policy_document" "efs_client" {
  statement {
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.home.arn]

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [aws_efs_access_point.home.arn]
    }
  }
}

# The dashboard reads the bucket: it presigns GET links to attachments (and needs ListBucket so that a
# missing key answers 404, not 403).
data "aws_iam_policy_document" "dashboard_task" {
  source_policy_documents = [data.aws_iam_policy_document.efs_client.json]

  statement {
    sid       = "ReadObjects"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.manuals.arn}/*"]
  }

  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.manuals.arn]
  }
}

resource "aws_iam_role" "dashboard_task" {
  name_prefix        = "${local.prefix}-dash-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "dashboard_task" {
  name   = "read-bucket"
  role   = aws_iam_role.dashboard_task.id
  policy = data.aws_iam_policy_document.dashboard_task.json
}

# The ingest job reads source/ and writes (and prunes) the attachments it links under manuals/.
data "aws_iam_policy_document" "ingest_task" {
  source_policy_documents = [data.aws_iam_policy_document.efs_client.json]

  statement {
    sid       = "ReadObjects"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.manuals.arn}/*"]
  }

  statement {
    sid     = "WriteAttachments"
    actions = ["s3:PutObject", "s3:DeleteObject"]
    resources = [
      "${aws_s3_bucket.manuals.arn}/${var.s3_attachments_prefix}*",
    ]
  }

  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.manuals.arn]
  }
}

resource "aws_iam_role" "ingest_task" {
  name_prefix        = "${local.prefix}-ingest-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "ingest_task" {
  name   = "read-source-write-attachments"
  role   = aws_iam_role.ingest_task.id
  policy = data.aws_iam_policy_document.ingest_task.json
}

# --- task definitions ---
locals {
  home_volume_name = "sangdam-home"
  log_options = {
    awslogs-group         = aws_cloudwatch_log_group.app.name
    awslogs-region        = var.region
    awslogs-stream-prefix = "app"
  }
}

resource "aws_ecs_task_definition" "dashboard" {
  family                   = "${local.prefix}-dashboard"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.dashboard_cpu
  memory                   = var.dashboard_memory
  execution_role_arn       = aws_iam_role.ecs_execution.arn
  task_role_arn            = aws_iam_role.dashboard_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = local.home_volume_name

    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.home.id
      transit_encryption = "ENABLED"

      authorization_config {
        access_point_id = aws_efs_access_point.home.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name         = "dashboard"
      image        = local.app_image
      essential    = true
      portMappings = [{ containerPort = 8501, protocol = "tcp" }]
      environment  = local.app_environment
      secrets      = local.app_secrets
      mountPoints  = [{ sourceVolume = local.home_volume_name, containerPath = "/data", readOnly = false }]
      healthCheck = {
        command     = ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=5)"]
        interval    = 15
        timeout     = 5
        retries     = 5
        startPeriod = 60
      }
      logConfiguration = { logDriver = "awslogs", options = local.log_options }
    }
  ])
}

resource "aws_ecs_task_definition" "ingest" {
  family                   = "${local.prefix}-ingest"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.ingest_cpu
  memory                   = var.ingest_memory
  execution_role_arn       = aws_iam_role.ecs_execution.arn
  task_role_arn            = aws_iam_role.ingest_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = local.home_volume_name

    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.home.id
      transit_encryption = "ENABLED"

      authorization_config {
        access_point_id = aws_efs_access_point.home.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name             = "ingest"
      image            = local.app_image
      essential        = true
      command          = ["sangdam", "ingest"]
      environment      = local.app_environment
      secrets          = local.app_secrets
      mountPoints      = [{ sourceVolume = local.home_volume_name, containerPath = "/data", readOnly = false }]
      logConfiguration = { logDriver = "awslogs", options = local.log_options }
    }
  ])
}

# --- load balancer ---
resource "aws_lb" "dashboard" {
  name                       = "${local.prefix}-dashboard"
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = aws_subnet.public[*].id
  drop_invalid_header_fields = true
  # Streamlit keeps a WebSocket open per browser tab.
  idle_timeout = 300
}

resource "aws_lb_target_group" "dashboard" {
  name                 = "${local.prefix}-dashboard"
  port                 = 8501
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = "/_stcore/health"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  # A Streamlit session lives in one process: keep each browser on its task.
  stickiness {
    type            = "lb_cookie"
    enabled         = true
    cookie_duration = 28800
  }
}

resource "aws_lb_listener" "https" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.dashboard.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.dashboard.arn
  }
}

resource "aws_lb_listener" "http_redirect" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.dashboard.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# Without a certificate (trial only): the dashboard on plain HTTP port 80.
resource "aws_lb_listener" "http_forward" {
  count = local.https ? 0 : 1

  load_balancer_arn = aws_lb.dashboard.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.dashboard.arn
  }
}

resource "aws_ecs_service" "dashboard" {
  name                              = "${local.prefix}-dashboard"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.dashboard.arn
  desired_count                     = var.dashboard_desired_count
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 120

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.dashboard.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.dashboard.arn
    container_name   = "dashboard"
    container_port   = 8501
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  depends_on = [aws_lb_listener.https, aws_lb_listener.http_forward, aws_efs_mount_target.home]
}
