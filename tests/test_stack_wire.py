"""The filer wire codec and the filer event → S3 event mapping (no processes)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import unquote_plus

import pytest

from stack import filer_wire as w
from stack import s3_events


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 2**31, 2**63 - 1, 1795522409489027550])
def test_varint_round_trip(value):
    encoded = w.encode_varint(value)
    assert w.decode_varint(encoded) == (value, len(encoded))


def test_negative_varint_is_ten_bytes_and_signed_back():
    encoded = w.encode_varint(-5)
    assert len(encoded) == 10
    assert w.to_signed64(w.decode_varint(encoded)[0]) == -5


def test_truncated_input_raises():
    with pytest.raises(ValueError):
        w.decode_varint(b"\x80")
    with pytest.raises(ValueError):
        w.parse(w.field_bytes(1, b"abc")[:-1])


def test_parse_fields_maps_and_fixed_skipped():
    fixed64 = w.encode_varint(9 << 3 | w.FIXED64) + (7).to_bytes(8, "little")
    buf = w.field_varint(1, 42) + w.field_bytes(2, "héllo") + fixed64 + w.map_entry(5, "k", b"v")
    fields = w.parse(buf)
    assert fields[1] == [42] and fields[2] == ["héllo".encode()] and fields[9] == [7]
    assert w.parse_map(fields[5]) == {"k": b"v"}


def test_subscribe_request_fields():
    fields = w.parse(w.encode_subscribe_request("me", "/buckets/audio/", 123, client_id=9))
    assert fields == {1: [b"me"], 2: [b"/buckets/audio/"], 3: [123], 7: [9], 11: [1]}


def _entry(name, *, size=3, mime="audio/wav", md5=b"", extended=None, chunk_etags=(), is_dir=False,
           file_id="3,01ab"):
    attrs = w.field_varint(1, size) + w.field_varint(2, 1700000000) + w.field_bytes(7, mime)
    if md5:
        attrs += w.field_bytes(14, md5)
    buf = w.field_bytes(1, name) + w.field_varint(2, int(is_dir))
    for tag in chunk_etags:
        chunk = w.field_varint(2, 0) + w.field_varint(3, size) + w.field_varint(4, 99)
        buf += w.field_bytes(3, (w.field_bytes(1, file_id) if file_id else b"") + chunk + w.field_bytes(5, tag))
    buf += w.field_bytes(4, attrs)
    for k, v in (extended or {}).items():
        buf += w.map_entry(5, k, v)
    return buf


def _response(directory, ts, old=None, new=None, parent=""):
    note = (w.field_bytes(1, old) if old else b"") + (w.field_bytes(2, new) if new else b"")
    if parent:
        note += w.field_bytes(4, parent)
    return w.field_bytes(1, directory) + w.field_bytes(2, note) + w.field_varint(3, ts)


def test_decode_entry_round_trip():
    md5 = hashlib.md5(b"abc").digest()
    raw = _entry("a b.wav", md5=md5, extended={"X-Amz-Meta-User-Id": b"u1"}, chunk_etags=["x"])
    entry = w.decode_entry(raw)
    assert (entry.name, entry.file_size, entry.mime, entry.md5) == ("a b.wav", 3, "audio/wav", md5)
    assert entry.extended == {"X-Amz-Meta-User-Id": b"u1"}
    assert entry.chunks == [w.Chunk(0, 3, 99, "x")] and entry.chunk_etags == ["x"]
    assert entry.mtime == 1700000000 and not entry.is_directory


def test_batched_response_flattens_in_order():
    one = _response("/buckets/audio", 1, new=_entry("a"))
    two = _response("/buckets/audio", 2, new=_entry("b"))
    batch = w.decode_response(w.field_bytes(4, one) + w.field_bytes(4, two) + w.field_varint(3, 2))
    assert [(e.ts_ns, e.new_entry.name) for e in w.flatten(batch)] == [(1, "a"), (2, "b")]


# --- mapping -------------------------------------------------------------------


@pytest.mark.parametrize(
    "directory,name,expected",
    [
        ("/buckets/audio", "k.wav", ("k.wav", "")),
        ("/buckets/audio/a/b", "c d.wav", ("a/b/c d.wav", "")),
        ("/buckets/audio/k.wav.versions", "v_123", ("k.wav", "123")),
        ("/buckets/audio/.uploads/xyz", "0001_a.part", None),
        ("/buckets/.system/owners", "audio", None),
        ("/buckets", "audio", None),
        ("/buckets/other", "k", None),
    ],
)
def test_object_ref(directory, name, expected):
    ref = s3_events.object_ref(directory, name, "audio")
    assert (ref and (ref.key, ref.version_id)) == expected or (ref is None and expected is None)


def test_put_becomes_minio_event():
    md5 = hashlib.md5(b"abc").digest()
    raw = _response("/buckets/audio/u", 0x18EAFA4EB90313AF,
                    new=_entry("hi there é.wav", md5=md5, extended={"X-Amz-Meta-User-Id": b"u1"}))
    [note] = s3_events.to_notifications(w.decode_response(raw), "audio")
    record = note.value["Records"][0]
    obj = record["s3"]["object"]
    assert note.key == note.value["Key"] == "audio/u/hi there é.wav"
    assert note.value["EventName"] == record["eventName"] == "s3:ObjectCreated:Put"
    assert unquote_plus(obj["key"]) == "u/hi there é.wav" and "+" in obj["key"]
    assert obj["eTag"] == md5.hex() and obj["size"] == 3 and obj["contentType"] == "audio/wav"
    assert obj["userMetadata"] == {"X-Amz-Meta-User-Id": "u1"}
    assert obj["sequencer"] == "18EAFA4EB90313AF"
    assert record["s3"]["bucket"] == {"name": "audio", "ownerIdentity": {"principalId": ""},
                                      "arn": "arn:aws:s3:::audio"}


def test_etag_prefers_stored_then_md5_then_chunks():
    one = base64.b64encode(hashlib.md5(b"a").digest()).decode()
    two = base64.b64encode(hashlib.md5(b"b").digest()).decode()
    stored = w.decode_entry(_entry("k", extended={"Seaweed-X-Amz-ETag": b'"abc-2"'}))
    assert s3_events.etag(stored) == "abc-2"
    assert s3_events.etag(w.decode_entry(_entry("k", chunk_etags=[one]))) == hashlib.md5(b"a").hexdigest()
    joined = hashlib.md5(hashlib.md5(b"a").digest() + hashlib.md5(b"b").digest()).hexdigest()
    assert s3_events.etag(w.decode_entry(_entry("k", chunk_etags=[one, two]))) == f"{joined}-2"


def test_metadata_only_update_is_skipped_but_overwrite_is_not():
    old = _entry("k", chunk_etags=["x"])
    # the filer drops the string file_id when it rewrites an entry's metadata
    tagged = _entry("k", chunk_etags=["x"], extended={"X-Amz-Tagging-t": b"v"}, file_id="")
    rewritten = _entry("k", chunk_etags=["y"])
    assert s3_events.to_notifications(w.decode_response(_response("/buckets/audio", 5, old, tagged)), "audio") == []
    [note] = s3_events.to_notifications(w.decode_response(_response("/buckets/audio", 6, old, rewritten)), "audio")
    assert note.value["EventName"] == "s3:ObjectCreated:Put"


def test_delete_directory_and_part_events():
    gone = s3_events.to_notifications(w.decode_response(_response("/buckets/audio", 7, old=_entry("k"))), "audio")
    assert [n.value["EventName"] for n in gone] == ["s3:ObjectRemoved:Delete"]
    assert "size" not in gone[0].value["Records"][0]["s3"]["object"]
    folder = _response("/buckets/audio", 8, new=_entry("d", is_dir=True))
    part = _response("/buckets/audio/.uploads/u1", 9, new=_entry("0001_x.part"))
    for raw in (folder, part):
        assert s3_events.to_notifications(w.decode_response(raw), "audio") == []


def test_versioned_object_carries_version_id():
    raw = _response("/buckets/audio/k.wav.versions", 10, new=_entry("v_abc"))
    [note] = s3_events.to_notifications(w.decode_response(raw), "audio")
    assert note.key == "audio/k.wav"
    assert note.value["Records"][0]["s3"]["object"]["versionId"] == "abc"
