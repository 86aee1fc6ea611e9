"""Reading what an external MCP server answered: its JSON, and each value checked and bounded.

A server is outside our control: every value is checked for its type and cut to a size a reply
can use, so a wrong or huge answer is dropped (or cut) here, never spoken or stored as it came.
"""

from __future__ import annotations

import json
from typing import Any

MAX_ITEMS = 50  # more than any reply needs; bounds what a server can make us rank
MAX_TEXT = 200  # characters of one name, place, note or step
MAX_LIST = 40  # entries of one list (ingredients, tags, steps)


def json_of(result: Any) -> Any:
    """A ``CallToolResult``'s JSON (structured content, else its text); ``ValueError`` for an error result."""
    if result.is_error:
        raise ValueError("the tool answered an error")
    if isinstance(result.structured_content, dict):
        data = result.structured_content
        return data.get("result", data) if set(data) == {"result"} else data
    return json.loads("".join(getattr(block, "text", "") for block in result.content))


def text(row: dict, key: str, default: str | None = None, limit: int = MAX_TEXT) -> str | None:
    """``row[key]`` as one line of at most ``limit`` characters, or ``default`` when absent or not text."""
    value = row.get(key, default)
    if not isinstance(value, str) or not value.strip():
        return default
    return " ".join(value.split())[:limit]


def number(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < float("inf")
    return float(value) if ok else None


def strings(value: Any, limit: int = MAX_LIST) -> list[str] | None:
    """A list of (at most ``limit``) strings, each cut to ``MAX_TEXT``; None for anything else
    (a list longer than ``limit`` too: cutting an ingredient list would hide an allergen)."""
    if not isinstance(value, list) or len(value) > limit or not all(isinstance(v, str) for v in value):
        return None
    return [" ".join(v.split())[:MAX_TEXT] for v in value]


def level(value: Any, levels: range) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value in levels else None


def items_in(data: Any, key: str, server: str, parse) -> list[dict]:
    """The valid rows of ``data[key]`` (at most ``MAX_ITEMS``), parsed; anything else: none."""
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return []
    return [item for item in (parse(row, server) for row in rows[:MAX_ITEMS]) if item is not None]
