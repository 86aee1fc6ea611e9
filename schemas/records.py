"""The base of every record on the wire: a frozen dataclass, orjson-encoded, versioned.

Decoding checks the schema version, the required fields and their types, and raises
``SchemaError`` with a readable reason, which the stage runner turns into a
dead-letter record instead of a crashed agent.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, ClassVar, TypeVar

import orjson

R = TypeVar("R", bound="Record")


class SchemaError(ValueError):
    """A payload that is not a valid record of the expected type."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    SCHEMA_VERSION: ClassVar[int] = 1
    schema_version: int = 1

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def encode(self) -> bytes:
        return orjson.dumps(self)

    def replace(self: R, **changes: Any) -> R:
        return dataclasses.replace(self, **changes)

    @classmethod
    def decode(cls: type[R], raw: bytes | str | dict) -> R:
        data = raw if isinstance(raw, dict) else _loads(raw)
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls: type[R], data: Any) -> R:
        if not isinstance(data, dict):
            raise SchemaError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
        version = data.get("schema_version", 1)
        if version != cls.SCHEMA_VERSION:
            raise SchemaError(f"{cls.__name__}: unsupported schema_version {version!r}")
        kwargs = {}
        for name, kind in _field_types(cls).items():
            if name in data:
                kwargs[name] = _check(cls, name, data[name], kind)
            elif _is_required(cls, name):
                raise SchemaError(f"{cls.__name__}: missing field {name!r}")
        return cls(**kwargs)


def _loads(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SchemaError(f"not JSON: {exc}") from None


@cache
def _field_types(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _is_required(cls: type, name: str) -> bool:
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _check(cls: type, name: str, value: Any, kind: Any) -> Any:
    if _accepts(value, kind):
        return float(value) if kind is float else value
    raise SchemaError(f"{cls.__name__}.{name}: expected {_kind_name(kind)}, got {type(value).__name__}")


def _accepts(value: Any, kind: Any) -> bool:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(value, k) for k in typing.get_args(kind))
    if kind is type(None):
        return value is None
    if kind is Any:
        return True
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, origin or kind)


def _kind_name(kind: Any) -> str:
    return getattr(kind, "__name__", None) or str(kind)
