"""The local stack, started by the project itself on loopback (no Docker).

- ``local``: ``LocalStack`` — Kafka (one node or a 3-node cluster), SeaweedFS S3, FalkorDB,
  optionally Neo4j, and the bucket notifier; data on disk under one directory.
- ``processes``: ``ManagedProcess`` (own process group, log file, readiness, no orphans);
  ``supervisor``: restarts a child that died without being asked to.
- ``kafka`` / ``neo4j`` / ``seaweed`` / ``falkordb``: one starter per part; ``jars``: the Kafka
  and Neo4j jars, fetched once by ``make`` (pinned poms in ``stack/java/``).
- ``notifier``: filer change feed → MinIO-shaped S3 events on bucket-events.
- ``filer_wire`` / ``s3_events``: the protobuf codec and the event mapping it uses.
"""
