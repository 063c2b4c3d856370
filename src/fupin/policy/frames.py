"""The registry read for a screening: households of an area and year with their members, in the engine's
record shape, and the three executions over them giving one decision row per household and rule.

Every execution reads the same records (`prepare` types them once), so local, Polars and Spark store
the same rows; the property tests assert it on generated households.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from fupin.policy.engine import Pack, evaluate_household
from fupin.policy.engine.batch import frames_from_records, needed_fields, run_batch
from fupin.policy.engine.catalogue import HOUSEHOLD, PERSON
from fupin.policy.engine.errors import InputError
from fupin.policy.engine.evaluate import jsonable
from fupin.policy.engine.values import Err, money
from fupin.registry.models import Household, Person

ENGINES = ("local", "polars", "spark")


@dataclass(frozen=True)
class Row:
    """One stored decision: what a screening writes for one household and one rule."""

    household_id: int
    rule: str
    status: str
    value: str
    clauses: dict
    error: str


def _stored_names(model, names: list[str]) -> dict[str, str]:
    """name → ORM lookup for the catalogue fields the model stores (the rest stay missing)."""
    out = {}
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        out[name] = f"{name}__code" if name == "village" else (field.attname if field.many_to_one else name)
    return out


def registry_records(households: QuerySet, pack: Pack) -> tuple[list[dict], dict[str, str]]:
    """Records for `pack` of the given households (id: the household's primary key as text), and
    their village codes by id. Only the fields the pack's rules read are fetched."""
    fields = needed_fields(pack, pack.rules)
    hh_names = _stored_names(Household, sorted(n for e, n in fields if e == HOUSEHOLD))
    p_names = _stored_names(Person, sorted(n for e, n in fields if e == PERSON))
    records: dict[int, dict] = {}
    villages: dict[str, str] = {}
    for row in households.values("pk", *({"village__code"} | set(hh_names.values()))):
        hid = row["pk"]
        records[hid] = {"id": str(hid), **{name: row[lookup] for name, lookup in hh_names.items()}, "members": []}
        villages[str(hid)] = row["village__code"]
    persons = Person.objects.filter(household__in=households.values("pk")).order_by("household_id", "pk")
    for row in persons.values("household_id", *set(p_names.values())):
        records[row["household_id"]]["members"].append({name: row[lookup] for name, lookup in p_names.items()})
    return list(records.values()), villages


def value_text(kind: str, value) -> str:
    """A decided value as stored: true/false, an amount with two decimals, or the class."""
    if value is None:
        return ""
    if kind == "flag":
        return "true" if value else "false"
    if kind == "amount":
        return money(value)
    return str(value)


def _clauses(rule, status: str, values: dict) -> dict:
    if status == "not_applicable":
        return {}
    return {c.id: jsonable(None if isinstance(values.get(c.id), Err) else values.get(c.id)) for c in rule.clauses}


def _input_error_rows(pack: Pack, hid: str, message: str) -> Iterator[Row]:
    for rule in pack.rules:
        yield Row(int(hid), rule.id, "error", "", {}, f"input / 数据无法读取: {message}")


def decide_local(pack: Pack, records: list[dict], as_of: dt.date) -> Iterator[Row]:
    """One household at a time (the evaluator the household page explains with)."""
    for record in records:
        try:
            decisions = evaluate_household(pack, record, as_of=as_of, explain=False)
        except InputError as exc:
            yield from _input_error_rows(pack, record["id"], str(exc))
            continue
        for rule in pack.rules:
            d = decisions[rule.id]
            yield Row(int(record["id"]), rule.id, d.status, value_text(rule.kind, d.value if d.status == "ok" else None),
                      _clauses(rule, d.status, d.clauses), d.error or "")


def _frame_rows(pack: Pack, rows) -> Iterator[Row]:
    for row in rows:
        for rule in pack.rules:
            status = row[f"{rule.id}__status"]
            clauses = _clauses(rule, status, {c.id: row[f"{rule.id}.{c.id}"] for c in rule.clauses})
            yield Row(int(row["id"]), rule.id, status, value_text(rule.kind, row[rule.id] if status == "ok" else None),
                      clauses, row[f"{rule.id}__error"] or "")


def decide_polars(pack: Pack, records: list[dict], as_of: dt.date) -> Iterator[Row]:
    """The whole area in one vectorised pass."""
    households, persons, errors = frames_from_records(records, pack.catalogue, needed_fields(pack, pack.rules))
    for hid, message in errors.items():
        yield from _input_error_rows(pack, hid, message)
    yield from _frame_rows(pack, run_batch(pack, households, persons, as_of=as_of).iter_rows(named=True))


def decide_spark(pack: Pack, records: list[dict], as_of: dt.date) -> Iterator[Row]:
    """The same on Spark (local mode here; a cluster when SPARK_REMOTE or spark-submit says so)."""
    from fupin.policy.engine.spark import local_session, run_spark, spark_frames, to_polars

    households, persons, errors = frames_from_records(records, pack.catalogue, needed_fields(pack, pack.rules))
    for hid, message in errors.items():
        yield from _input_error_rows(pack, hid, message)
    session = local_session("fupin-screen")
    sh, sp = spark_frames(session, pack, households, persons)
    # The result comes back through Arrow, as the frames went in (not row by row through the JVM).
    yield from _frame_rows(pack, to_polars(run_spark(pack, sh, sp, as_of=as_of)).iter_rows(named=True))


def decide(engine: str, pack: Pack, records: list[dict], as_of: dt.date) -> Iterator[Row]:
    return {"local": decide_local, "polars": decide_polars, "spark": decide_spark}[engine](pack, records, as_of)
