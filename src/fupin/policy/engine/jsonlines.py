"""Households in as JSON lines, decisions out as JSON lines (the `fupin evaluate` formats, docs/policy.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from .errors import InputError
from .evaluate import OK, evaluate_household, jsonable
from .model import Pack
from .values import money


def read_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record or None, error or None) for every non-blank line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg}) / 不是有效的JSON"
            continue
        if not isinstance(record, dict):
            yield number, None, f"line {number}: a household must be a JSON object / 每行应为一个JSON对象"
            continue
        yield number, record, None


def header(pack: Pack, as_of: dt.date) -> dict:
    return {"pack": pack.key, "fingerprint": pack.fingerprint, "as_of": as_of.isoformat()}


def decision_dict(rule_kind: str, status: str, value, error, clauses: dict, reasons=None) -> dict:
    out: dict = {"status": status}
    if status == OK:
        out["value"] = money(value) if rule_kind == "amount" else jsonable(value)
    if error:
        out["error"] = error
    out["clauses"] = {k: (None if isinstance(c, dict) else c) for k, c in clauses.items()}
    if reasons is not None:
        out["reasons"] = reasons
    return out


def evaluate_lines(pack: Pack, lines: Iterable[str], *, as_of: dt.date | None = None, rules: list[str] | None = None,
                   explain: bool = True) -> Iterator[dict]:
    """One output object per input line, evaluated one household at a time (with reasons)."""
    as_of = as_of or pack.default_as_of()
    for number, record, error in read_lines(lines):
        out = {"line": number, "household": str(record.get("id")) if record and "id" in record else None}
        if error:
            yield {**out, "error": error}
            continue
        try:
            decisions = evaluate_household(pack, record, as_of=as_of, explain=explain, rules=rules)
        except InputError as exc:
            yield {**out, "error": f"line {number}: {exc}"}
            continue
        body = {}
        for rid, d in decisions.items():
            body[rid] = decision_dict(d.kind, d.status, d.value, d.error,
                                      {k: jsonable(c) for k, c in d.clauses.items()}, d.reasons if explain else None)
            if explain:
                body[rid]["explanation"] = d.explanation
        yield {**out, **header(pack, as_of), "decisions": body}


def batch_lines(pack: Pack, lines: Iterable[str], *, as_of: dt.date | None = None,
                rules: list[str] | None = None) -> Iterator[dict]:
    """The same output (without reasons) computed in one vectorised pass (Polars)."""
    from .batch import frames_from_records, needed_fields, run_batch
    from .evaluate import _closure

    as_of = as_of or pack.default_as_of()
    wanted = _closure(pack, rules)
    chosen = [r for r in pack.rules if wanted is None or r.id in wanted]
    parsed = list(read_lines(lines))
    records = []
    for number, record, _error in parsed:
        if record is not None:
            records.append({**record, "id": f"{number}"})
    households, persons, input_errors = frames_from_records(records, pack.catalogue, needed_fields(pack, chosen))
    result = run_batch(pack, households, persons, as_of=as_of, rules=rules)
    rows = {row["id"]: row for row in result.iter_rows(named=True)}
    for number, record, error in parsed:
        out = {"line": number, "household": str(record.get("id")) if record and "id" in record else None}
        key = f"{number}"
        if error or key in input_errors:
            yield {**out, "error": error or f"line {number}: {input_errors[key]}"}
            continue
        row = rows[key]
        body = {}
        for rule in chosen:
            clauses = {c.id: row[f"{rule.id}.{c.id}"] for c in rule.clauses}
            body[rule.id] = decision_dict(rule.kind, row[f"{rule.id}__status"], row[rule.id], row[f"{rule.id}__error"],
                                          clauses)
        yield {**out, **header(pack, as_of), "decisions": body}
