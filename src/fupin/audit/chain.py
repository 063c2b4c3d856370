"""The hash over one event's content. Pure: the writer and the verifier share it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_name", "action", "outcome", "target_type", "target_id",
    "target_label", "area_code", "before", "after", "details", "request_id", "client_ip", "channel", "prev_hash",
)


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: fields[k] for k in HASHED_FIELDS})).hexdigest()


def fields_of(event) -> dict[str, Any]:
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    values["occurred_at"] = event.occurred_at.isoformat(timespec="microseconds")
    return values
