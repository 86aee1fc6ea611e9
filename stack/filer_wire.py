"""Minimal protobuf wire codec for SeaweedFS's filer ``SubscribeMetadata`` call.

No protoc and no generated code: the few fields the bucket notifier needs are
encoded and decoded by hand (field numbers from ``filer.proto``, see docs/DESIGN.md).
Only wire types 0 (varint), 1 (fixed64), 2 (length-delimited) and 5 (fixed32)
occur; unknown fields are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VARINT, FIXED64, LEN, FIXED32 = 0, 1, 2, 5
_MASK64 = (1 << 64) - 1


# --- low level ---------------------------------------------------------------


def encode_varint(value: int) -> bytes:
    """Encode an int as a base-128 varint (negatives as 64-bit two's complement)."""
    value &= _MASK64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes, pos: int = 0) -> tuple[int, int]:
    """Decode a varint at ``pos``; return (unsigned value, next position)."""
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise ValueError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result & _MASK64, pos
        shift += 7
        if shift >= 70:
            raise ValueError("varint too long")


def to_signed64(value: int) -> int:
    """Interpret an unsigned 64-bit varint as int64."""
    return value - (1 << 64) if value >= 1 << 63 else value


def field_varint(number: int, value: int) -> bytes:
    """One varint field (int32/int64/bool/enum)."""
    return encode_varint(number << 3 | VARINT) + encode_varint(int(value))


def field_bytes(number: int, value: bytes | str) -> bytes:
    """One length-delimited field (bytes, string or an encoded nested message)."""
    data = value.encode() if isinstance(value, str) else value
    return encode_varint(number << 3 | LEN) + encode_varint(len(data)) + data


def map_entry(number: int, key: str, value: bytes | str) -> bytes:
    """One entry of a ``map<string, bytes|string>`` field (a key=1/value=2 message)."""
    return field_bytes(number, field_bytes(1, key) + field_bytes(2, value))


def parse(buf: bytes) -> dict[int, list]:
    """Split a message into {field number: [raw values]} (ints or bytes)."""
    fields: dict[int, list] = {}
    pos = 0
    while pos < len(buf):
        key, pos = decode_varint(buf, pos)
        number, wire = key >> 3, key & 7
        value, pos = _read_value(buf, pos, wire)
        fields.setdefault(number, []).append(value)
    return fields


def _read_value(buf: bytes, pos: int, wire: int) -> tuple[int | bytes, int]:
    if wire == VARINT:
        return decode_varint(buf, pos)
    if wire == LEN:
        size, pos = decode_varint(buf, pos)
        if pos + size > len(buf):
            raise ValueError("truncated length-delimited field")
        return bytes(buf[pos : pos + size]), pos + size
    if wire in (FIXED64, FIXED32):
        width = 8 if wire == FIXED64 else 4
        if pos + width > len(buf):
            raise ValueError("truncated fixed field")
        return int.from_bytes(buf[pos : pos + width], "little"), pos + width
    raise ValueError(f"unsupported wire type {wire}")


def _last(fields: dict[int, list], number: int, default=None):
    values = fields.get(number)
    return values[-1] if values else default


def _text(fields: dict[int, list], number: int) -> str:
    return _last(fields, number, b"").decode("utf-8", "replace")


def parse_map(entries: list[bytes]) -> dict[str, bytes]:
    """Decode repeated map entries (key=1 string, value=2 bytes)."""
    out: dict[str, bytes] = {}
    for raw in entries:
        entry = parse(raw)
        out[_text(entry, 1)] = _last(entry, 2, b"")
    return out


# --- filer_pb messages -------------------------------------------------------


def encode_subscribe_request(
    client_name: str, path_prefix: str, since_ns: int, client_id: int = 0
) -> bytes:
    """Encode a ``SubscribeMetadataRequest`` (client_supports_batching on)."""
    return (
        field_bytes(1, client_name)
        + field_bytes(2, path_prefix)
        + field_varint(3, since_ns)
        + field_varint(7, client_id)
        + field_varint(11, 1)
    )


@dataclass(frozen=True)
class Chunk:
    """A ``filer_pb.FileChunk``'s identity; its file id is left out on purpose: the
    filer re-serializes it in two forms (string ``file_id`` or message ``fid``)."""

    offset: int = 0
    size: int = 0
    modified_ts_ns: int = 0
    e_tag: str = ""


def decode_chunk(buf: bytes) -> Chunk:
    """Decode a ``filer_pb.FileChunk`` (offset=2, size=3, modified_ts_ns=4, e_tag=5)."""
    f = parse(buf)
    return Chunk(to_signed64(_last(f, 2, 0)), _last(f, 3, 0), to_signed64(_last(f, 4, 0)), _text(f, 5))


@dataclass
class Entry:
    """The parts of ``filer_pb.Entry`` the notifier reads."""

    name: str = ""
    is_directory: bool = False
    chunks: list[Chunk] = field(default_factory=list)
    file_size: int = 0
    mtime: int = 0
    mime: str = ""
    md5: bytes = b""
    extended: dict[str, bytes] = field(default_factory=dict)
    content: bytes = b""

    @property
    def chunk_etags(self) -> list[str]:
        return [c.e_tag for c in self.chunks]


@dataclass
class Event:
    """One ``SubscribeMetadataResponse`` (batched backlog flattened by the caller)."""

    directory: str = ""
    ts_ns: int = 0
    old_entry: Entry | None = None
    new_entry: Entry | None = None
    new_parent_path: str = ""
    events: list["Event"] = field(default_factory=list)


def decode_entry(buf: bytes) -> Entry:
    """Decode a ``filer_pb.Entry``."""
    f = parse(buf)
    attrs = parse(_last(f, 4, b""))
    return Entry(
        name=_text(f, 1),
        is_directory=bool(_last(f, 2, 0)),
        chunks=[decode_chunk(c) for c in f.get(3, [])],
        file_size=_last(attrs, 1, 0),
        mtime=to_signed64(_last(attrs, 2, 0)),
        mime=_text(attrs, 7),
        md5=_last(attrs, 14, b""),
        extended=parse_map(f.get(5, [])),
        content=_last(f, 9, b""),
    )


def decode_response(buf: bytes) -> Event:
    """Decode a ``SubscribeMetadataResponse`` including its batched ``events``."""
    f = parse(buf)
    note = parse(_last(f, 2, b""))
    old, new = _last(note, 1), _last(note, 2)
    return Event(
        directory=_text(f, 1),
        ts_ns=to_signed64(_last(f, 3, 0)),
        old_entry=decode_entry(old) if old is not None else None,
        new_entry=decode_entry(new) if new is not None else None,
        new_parent_path=_text(note, 4),
        events=[decode_response(e) for e in f.get(4, [])],
    )


def flatten(event: Event) -> list[Event]:
    """Return the response's own event (if any) followed by its batched ones, in order."""
    own = [event] if event.old_entry or event.new_entry else []
    return own + [e for inner in event.events for e in flatten(inner)]
