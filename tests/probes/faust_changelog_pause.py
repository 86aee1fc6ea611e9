"""A Faust worker with a table: after recovery, are the table's changelog partitions paused in
aiokafka too, and does aiokafka hold fetched changelog records nobody reads?

    python -m tests.probes.faust_changelog_pause BROKER_URL TOPIC GROUP

Each event of TOPIC is written to the table (a changelog record).  After the last one, prints
``CHANGELOG paused=<n paused in aiokafka>/<n changelog partitions> unread=<n with unread records>``.
Faust 0.15.3 alone pauses them only in its own bookkeeping: aiokafka fetches every changelog write
back and keeps it unread; ``kafka-safe://`` (streams/faust_compat.py, repair 4) pauses them.
"""

import asyncio
import sys

import faust

from streams.faust_compat import fetched_unread, partition_state

broker, topic_name, group = sys.argv[1:4]
EVENTS = 3
app = faust.App(group, broker=broker, store="memory://", web_enabled=False,
                consumer_auto_offset_reset="earliest", topic_partitions=1)
topic = app.topic(topic_name, key_type=bytes, value_type=bytes, key_serializer="raw",
                  value_serializer="raw", partitions=1)
table = app.Table(f"{topic_name}-table", default=None, partitions=1)


@app.agent(topic)
async def probe(stream):
    async for event in stream.events():
        table[event.key.decode()] = event.value.decode()
        if event.message.offset == EVENTS - 1:
            await app.producer.flush()  # the changelog writes are on the log
            changelog = table.changelog_topic.get_topic_name()
            tps = [tp for tp in app.consumer.assignment() if tp.topic == changelog]
            paused = sum(bool(partition_state(app.consumer, tp)["paused"]) for tp in tps)
            for _ in range(50 if paused < len(tps) else 0):  # not paused: its fetch comes back
                if set(tps) & fetched_unread(app.consumer):
                    break
                await asyncio.sleep(0.1)
            unread = len(set(tps) & fetched_unread(app.consumer))
            print(f"CHANGELOG paused={paused}/{len(tps)} unread={unread}", flush=True)


if __name__ == "__main__":
    sys.argv = [sys.argv[0], "worker", "--loglevel", "warn"]
    app.main()
