"""KRaft cluster ids the project makes for its local Kafka."""

import base64

from stack.kafka import new_cluster_id


def test_cluster_ids_are_16_byte_uuids_that_never_look_like_an_option():
    # StorageTool's argument parser read an id starting with "-" as an option: the local stack's
    # first start failed about once in 64 (seen in a run)
    ids = [new_cluster_id() for _ in range(5000)]
    assert not [i for i in ids if i.startswith("-")]
    assert {len(base64.urlsafe_b64decode(i + "==")) for i in ids} == {16}
    assert len(set(ids)) == len(ids)
