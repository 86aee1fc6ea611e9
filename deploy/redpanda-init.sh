#!/bin/sh
# One-shot: create the bucket-events topic before MinIO starts publishing to it.
# (With auto-creation MinIO's first event would create it with one partition; the
# workers co-partition everything on AURASENSE_TOPIC_PARTITIONS.) The workers create
# every other topic themselves (streams/admin.py). Idempotent.
set -eu
BROKERS="${RPK_BROKERS:-redpanda:9092}"
TOPIC="${BUCKET_EVENTS_TOPIC:-bucket-events}"
PARTITIONS="${AURASENSE_TOPIC_PARTITIONS:-4}"

# create fails when the topic exists already; then it must be listed, or it is a real error
rpk topic create "$TOPIC" -p "$PARTITIONS" -r 1 -X brokers="$BROKERS" \
  || rpk topic list -X brokers="$BROKERS" | awk '{print $1}' | grep -qx "$TOPIC"
rpk topic describe "$TOPIC" -X brokers="$BROKERS" --print-partitions
