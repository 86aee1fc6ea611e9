"""User and session ids: one pattern for every place that mints, checks or documents them.

The gateway mints keys ``uploads/<user_id>/<session_id>.<ext>``, ingest reads the ids back
from the key, and the OpenAPI schema tells clients the rule: all three must agree.
"""

from __future__ import annotations

import re

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
SAFE_ID = re.compile(ID_PATTERN)
