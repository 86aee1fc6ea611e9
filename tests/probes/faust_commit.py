"""A Faust worker that acks offsets 1 and 2 of a one-partition topic, never offset 0, then commits.

    python -m tests.probes.faust_commit BROKER_URL TOPIC GROUP

Faust 0.15.3 alone commits offset 3 here, over the unprocessed offset 0 (a lost event);
``kafka-safe://`` (streams/faust_compat.py) commits nothing. Prints COMMITTED once it committed.
"""

import sys

import faust

broker, topic_name, group = sys.argv[1:4]
app = faust.App(group, broker=broker, store="memory://", topic_allow_declare=False,
                web_enabled=False, consumer_auto_offset_reset="earliest",
                broker_commit_interval=3600.0)  # only the explicit commit below
topic = app.topic(topic_name, key_type=bytes, value_type=bytes, key_serializer="raw",
                  value_serializer="raw", partitions=1)


@app.agent(topic)
async def probe(stream):
    async for event in stream.noack().events():
        if event.message.offset > 0:  # offset 0 is never acked: still being processed
            event.ack()
        if event.message.offset == 2:
            await app.consumer.commit()
            print("COMMITTED", flush=True)


if __name__ == "__main__":
    sys.argv = [sys.argv[0], "worker", "--loglevel", "warn"]
    app.main()
