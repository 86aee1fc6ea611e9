#!/bin/sh
# One-shot: the audio bucket, its Kafka notification, its lifecycle rule and the app's user.
# MinIO's Kafka target itself (ARN arn:minio:sqs::PRIMARY:kafka) is configured at server
# start from MINIO_NOTIFY_KAFKA_*_PRIMARY in docker-compose.yml. Idempotent.
set -eu
BUCKET="${AURASENSE_AUDIO_BUCKET:-audio}"
PREFIX="${AURASENSE_UPLOAD_PREFIX:-uploads/}"
ARN="arn:minio:sqs::PRIMARY:kafka"

until mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  echo "waiting for minio"; sleep 1
done

mc mb --ignore-existing "local/$BUCKET"

# Only uploads notify: replies (replies/) are written by the workers and must not loop back.
mc event add --ignore-existing "local/$BUCKET" "$ARN" --event put --prefix "$PREFIX"
mc event list "local/$BUCKET" "$ARN"

# Uploads and replies are transient: expire everything after one day
# (reply URLs are valid for 24 h, AURASENSE_REPLY_URL_EXPIRY_S).
if ! mc ilm rule ls "local/$BUCKET" >/dev/null 2>&1; then
  mc ilm rule add --expire-days 1 "local/$BUCKET"
fi
mc ilm rule ls "local/$BUCKET"

# No anonymous access: browsers upload and download through presigned URLs only.
# (CORS for those URLs is MINIO_API_CORS_ALLOW_ORIGIN on the server.)
mc anonymous set none "local/$BUCKET"

# The workers' own credentials, readwrite instead of root.
if [ -n "${AURASENSE_S3_ACCESS_KEY:-}" ] && [ "$AURASENSE_S3_ACCESS_KEY" != "$MINIO_ROOT_USER" ]; then
  mc admin user add local "$AURASENSE_S3_ACCESS_KEY" "$AURASENSE_S3_SECRET_KEY"
  mc admin policy attach local readwrite --user "$AURASENSE_S3_ACCESS_KEY" 2>/dev/null || true
fi
echo "minio ready: bucket $BUCKET notifies $ARN on put under $PREFIX"
