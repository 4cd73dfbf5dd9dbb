output "dashboard_url" {
  description = "Where agents open the dashboard (point a DNS name at the load balancer for the certificate)."
  value       = "${local.https ? "https" : "http"}://${aws_lb.dashboard.dns_name}"
}

output "alb_dns_name" {
  description = "Load balancer DNS name (CNAME / alias target)."
  value       = aws_lb.dashboard.dns_name
}

output "ecr_repository_url" {
  description = "Push the app image here, tagged var.app_image_tag."
  value       = aws_ecr_repository.app.repository_url
}

output "bucket_name" {
  description = "Bucket for manuals (source/), attachments (manuals/) and LoRA adapters (adapters/)."
  value       = aws_s3_bucket.manuals.bucket
}

output "manuals_source" {
  description = "Upload the HTML manuals here; the ingest task reads it."
  value       = "s3://${aws_s3_bucket.manuals.bucket}/${var.s3_source_prefix}"
}

output "adapter_location" {
  description = "Upload the LoRA adapter here before the vLLM instance boots (adapter_config.json, adapter_model.safetensors)."
  value       = "s3://${aws_s3_bucket.manuals.bucket}/${var.s3_adapters_prefix}${var.vllm_lora_name}/"
}

output "opensearch_endpoint" {
  description = "OpenSearch domain endpoint (VPC only)."
  value       = "https://${aws_opensearch_domain.main.endpoint}"
}

output "opensearch_master_secret_arn" {
  description = "Secrets Manager secret with the OpenSearch master password."
  value       = aws_secretsmanager_secret.opensearch_master.arn
}

output "vllm_base_url" {
  description = "The app's SANGDAM_LLM_BASE_URL (private address of the vLLM instance)."
  value       = local.vllm_base_url
}

output "vllm_instance_id" {
  description = "vLLM instance (SSM Session Manager: aws ssm start-session --target <id>)."
  value       = aws_instance.vllm.id
}

output "ecs_cluster_name" {
  description = "ECS cluster of the dashboard service and the ingest task."
  value       = aws_ecs_cluster.main.name
}

output "ingest_run_task_command" {
  description = "Start an ingest (add --overrides for `sangdam ingest --full`)."
  value = join(" ", [
    "aws ecs run-task --region ${var.region}",
    "--cluster ${aws_ecs_cluster.main.name}",
    "--task-definition ${aws_ecs_task_definition.ingest.family}",
    "--launch-type FARGATE",
    "--network-configuration 'awsvpcConfiguration={subnets=[${join(",", aws_subnet.private[*].id)}],securityGroups=[${aws_security_group.dashboard.id}],assignPublicIp=DISABLED}'",
  ])
}
