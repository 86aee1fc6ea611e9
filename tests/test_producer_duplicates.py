"""The idempotent producer (streams/faust_compat.IdempotentProducer) on a real 3-node Kafka.

With acks=all, a produce request whose followers are frozen is appended by the leader but not
acknowledged before the client's request timeout. Faust's producer outside transactions (acks=all,
no idempotence) then fails the send, and the outbox sends it again, as it must
(streams/outbox.Outbox.send_raw: a stage cannot drop its output); once the followers are back
every copy is committed: a stage's output written twice, a reply sent twice. With
``IDEMPOTENT_PRODUCER`` the producer itself keeps retrying the same batch (same sequence number)
and the broker keeps one copy.
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from stack.kafka import KafkaCluster
from streams.faust_compat import IDEMPOTENT_PRODUCER

pytestmark = pytest.mark.stack

FAUST_OUTSIDE_TRANSACTIONS = {"acks": "all"}  # faust's default producer_acks=-1, nothing else
FROZEN_FOR_S = 6.0  # three request timeouts: the client sends the batch again at least twice


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    kafka = KafkaCluster(tmp_path_factory.mktemp("dup-kafka"), nodes=3)
    kafka.start()
    yield kafka
    kafka.stop()


async def copies_written(cluster: KafkaCluster, producer_settings: dict) -> int:
    """Send one record while the partition's followers are frozen; count the copies on the log."""
    topic, marker = f"dup-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex.encode()
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=3,
                                            topic_configs={"min.insync.replicas": "2"})])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=cluster.bootstrap, request_timeout_ms=2000,
                                retry_backoff_ms=100, **producer_settings)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"warm-up")  # metadata and a connection to the leader
        leader = producer.client.cluster.leader_for_partition(TopicPartition(topic, 0))
        followers = [n.process.pid for n in cluster.nodes if n.ports.node_id != leader]
        for pid in followers:
            os.kill(pid, signal.SIGSTOP)
        try:
            sending = asyncio.ensure_future(send_until_acknowledged(producer, topic, marker))
            done, _ = await asyncio.wait({sending}, timeout=FROZEN_FOR_S)
            assert not done, "acknowledged with both followers frozen: nothing was reproduced"
        finally:
            for pid in followers:
                os.kill(pid, signal.SIGCONT)
        await asyncio.wait_for(sending, 60)
    finally:
        await producer.stop()
    return await _count(cluster.bootstrap, topic, marker)


async def send_until_acknowledged(producer: AIOKafkaProducer, topic: str, value: bytes) -> None:
    """What the outbox does with a send the producer gave up on: send it again."""
    while True:
        try:
            await (await producer.send(topic, value))
            return
        except KafkaError:
            await asyncio.sleep(0.1)  # the outbox's back-off between sends, not a synchronisation


async def _count(bootstrap: str, topic: str, marker: bytes) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        end = (await consumer.end_offsets([tp]))[tp]
        copies = 0
        while await consumer.position(tp) < end:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                copies += sum(r.value == marker for r in records)
        return copies
    finally:
        await consumer.stop()


def test_faust_default_producer_writes_a_retried_record_twice(cluster):
    assert asyncio.run(copies_written(cluster, FAUST_OUTSIDE_TRANSACTIONS)) > 1


def test_the_idempotent_producer_writes_it_once(cluster):
    assert asyncio.run(copies_written(cluster, IDEMPOTENT_PRODUCER)) == 1
