"""A Faust worker that hits one of Faust's two ways of dropping fetched records, then reports
which offsets its agent was handed.

    python -m tests.probes.faust_refetch BROKER_URL TOPIC GROUP generation|resume

The topic holds offsets 0-5, fetched as one batch. While handling offset 0 the agent forces the
race a rebalance opens:

* ``generation``: the consumer generation moves on (as ``on_partitions_assigned`` does) while
  ``Consumer.getmany`` is still handing on the batch (a stream buffer of one record keeps it
  there), so it stops with aiokafka's fetch position already past the rest;
* ``resume``: ``app.flow_control.resume()`` (as table recovery calls it) empties the stream
  buffer holding the rest of the batch, though the flow was already running.

Then it sends an end marker and, when the marker arrives, prints ``DELIVERED <offsets>``. Faust
0.15.3 alone never hands on the records it dropped; ``kafka-safe://`` fetches them again.
"""

import sys

import asyncio

import faust

from streams.faust_compat import buffered_messages

broker, topic_name, group, mode = sys.argv[1:5]
app = faust.App(group, broker=broker, store="memory://", topic_allow_declare=False,
                web_enabled=False, consumer_auto_offset_reset="earliest",
                # generation: the fetcher must still be handing on the batch when offset 0 is
                # handled; resume: the whole batch must be waiting in the buffer by then
                stream_buffer_maxsize=1 if mode == "generation" else 8)
topic = app.topic(topic_name, key_type=bytes, value_type=bytes, key_serializer="raw",
                  value_serializer="raw", partitions=1)
delivered: set[int] = set()


@app.agent(topic)
async def probe(stream):
    async for event in stream.noack().events():
        offset = event.message.offset
        if event.value == b"end":
            print(f"DELIVERED {sorted(delivered)}", flush=True)  # one write: Faust logs each
            continue
        delivered.add(offset)
        if offset == 0:
            if mode == "generation":
                app.consumer_generation_id += 1
            else:
                while sum(1 for _ in buffered_messages(app.flow_control)) < 5:
                    await asyncio.sleep(0)  # let the fetcher fill the buffer with offsets 1-5
                app.flow_control.resume()
            await topic.send(key=b"k", value=b"end")
        event.ack()


if __name__ == "__main__":
    sys.argv = [sys.argv[0], "worker", "--loglevel", "warn"]
    app.main()
