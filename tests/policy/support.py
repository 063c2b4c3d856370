"""Helpers shared by the policy tests: small packs written to a folder, and the three executions side by side."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from fupin.policy.engine import evaluate_household, load_folder
from fupin.policy.engine.batch import frames_from_records, needed_fields, run_batch
from fupin.policy.engine.evaluate import ERROR, OK
from fupin.policy.engine.values import Err

from .conftest import tiny_catalogue

CITE = {"seed": "000", "quote": "低于国家扶贫标准1.5倍左右"}


def write_pack(folder: Path, *, rules: list[dict], params: dict | None = None, pack_id: str = "test-2020",
               version: int = 1, extends: str | None = None, status: str = "draft", extra: dict | None = None,
               name: str | None = None) -> Path:
    doc = {"id": pack_id, "version": version, "title": "测试", "jurisdiction": "210922", "year": 2020,
           "status": status}
    if extends:
        doc["extends"] = extends
    doc["parameters"] = {k: {"cite": CITE, **v} for k, v in (params or {}).items()}
    doc["rules"] = [{"cite": CITE, **r} for r in rules]
    doc.update(extra or {})
    path = folder / (name or f"{pack_id}.v{version}.yaml")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def one_rule_pack(folder: Path, when: str | None = None, *, amount: str | None = None, params=None, kind=None):
    rule = {"id": "r", "title": "规则"}
    if when is not None:
        rule["when"] = when
    if amount is not None:
        rule["amount"] = amount
        rule["kind"] = "amount"
    if kind:
        rule["kind"] = kind
    write_pack(folder, rules=[rule], params=params)
    packs = load_folder(folder, catalogue=tiny_catalogue())
    assert not packs.problems, [str(p) for p in packs.problems]
    return packs.get("test-2020")


def canonical_single(pack, records, as_of=None) -> dict:
    out = {}
    for record in records:
        decisions = evaluate_household(pack, record, as_of=as_of, explain=False)
        row = {}
        for rid, d in decisions.items():
            clauses = {k: (None if isinstance(c, Err) else c) for k, c in d.clauses.items()}
            if d.status != "not_applicable":
                rule = pack.rule(rid)
                clauses = {c.id: clauses.get(c.id) for c in rule.clauses}
            row[rid] = (d.status, d.value if d.status == OK else None, d.error, clauses)
        out[str(record["id"])] = row
    return out


def canonical_frame(pack, frame) -> dict:
    out = {}
    for row in frame.iter_rows(named=True):
        decided = {}
        for rule in pack.rules:
            status = row[f"{rule.id}__status"]
            clauses = {c.id: (row[f"{rule.id}.{c.id}"] if status != "not_applicable" else None) for c in rule.clauses}
            if status == "not_applicable":
                clauses = {}
            decided[rule.id] = (status, row[rule.id] if status == OK else None, row[f"{rule.id}__error"], clauses)
        out[str(row["id"])] = decided
    return out


def canonical_batch(pack, records, as_of=None) -> dict:
    households, persons, errors = frames_from_records(records, pack.catalogue, needed_fields(pack, pack.rules))
    assert not errors, errors
    return canonical_frame(pack, run_batch(pack, households, persons, as_of=as_of))


def statuses(result: dict) -> set[str]:
    return {d[0] for row in result.values() for d in row.values()}


__all__ = ["ERROR", "OK", "canonical_batch", "canonical_frame", "canonical_single", "one_rule_pack", "statuses",
           "write_pack", "write_text"]
