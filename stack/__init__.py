"""The local stack, started by the project itself on loopback (no Docker).

- ``local``: ``LocalStack`` — FalkorDB, tansu, SeaweedFS S3 and the bucket notifier.
- ``processes``: ``ManagedProcess`` (own process group, log file, readiness, no orphans).
- ``tansu`` / ``seaweed`` / ``falkordb``: one starter per part.
- ``notifier``: filer change feed → MinIO-shaped S3 events on bucket-events.
- ``filer_wire`` / ``s3_events``: the protobuf codec and the event mapping it uses.
"""
