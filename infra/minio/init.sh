#!/bin/sh
# One-shot MinIO setup for 상담 코파일럿 (the minio-init service; safe to run again):
# a private, versioned bucket and an app user whose policy allows that bucket only.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${S3_BUCKET:?}" "${S3_APP_ACCESS_KEY:?}" "${S3_APP_SECRET_KEY:?}"

mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null

mc mb --ignore-existing "local/$S3_BUCKET"
# No anonymous access: agents open attachments through presigned links only.
mc anonymous set none "local/$S3_BUCKET"
mc version enable "local/$S3_BUCKET"

policy=/tmp/sangdam-app-policy.json
cat > "$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::$S3_BUCKET"]},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::$S3_BUCKET/*"]}
  ]
}
JSON
mc admin policy create local sangdam-app "$policy"
mc admin user add local "$S3_APP_ACCESS_KEY" "$S3_APP_SECRET_KEY"
# Attaching an already attached policy is an error on a second run; check instead of failing.
if ! mc admin policy attach local sangdam-app --user "$S3_APP_ACCESS_KEY" 2>/dev/null; then
  mc admin user info local "$S3_APP_ACCESS_KEY" | grep -q sangdam-app
fi

echo "bucket s3://$S3_BUCKET ready (private, versioned); app user $S3_APP_ACCESS_KEY"
