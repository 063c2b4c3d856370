"""What-if (模拟测算): a pack with some parameters changed, and which households change outcome per rule.

The changed pack is an ordinary draft child of the pack (`extends: base`), loaded through the same
validation as a file: a value of the wrong type, an unknown parameter or a choice outside its options
is a load problem naming the parameter, and inherited rules are bound again with the new values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
import yaml

from .batch import ID
from .errors import PackError, Problem
from .model import Pack
from .packfile import read_pack_file
from .packs import PackSet, _resolve

WHATIF_FILE = "模拟测算 what-if"


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(x) for x in value]
    if isinstance(value, dict):
        return {str(k): _plain(x) for k, x in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def with_parameters(packs: PackSet, base: Pack, changes: dict) -> Pack:
    """`base` with the parameter values in `changes`; PackError lists every value that does not fit."""
    problems = [Problem(WHATIF_FILE, None, f"parameters.{name}", f"{base.key} has no parameter {name!r} / 政策包没有此参数")
                for name in changes if name not in base.parameters]
    if not changes:
        problems.append(Problem(WHATIF_FILE, None, "parameters", "no parameter changed / 未修改任何参数"))
    if problems:
        raise PackError(problems)
    params = {}
    for name, value in changes.items():
        param = base.parameters[name]
        entry = {"type": param.type, "title": param.title or name, "value": value,
                 "cite": [c.as_dict() for c in param.cite]}
        if param.choices:
            entry["choices"] = list(param.choices)
        if param.type == "list":
            entry["of"] = "number" if all(isinstance(x, float) for x in param.value) else "text"
        params[name] = entry
    first, last = base.years
    doc = {"id": f"{base.id}-whatif", "version": base.version, "title": f"{base.title}（模拟测算）",
           "jurisdiction": base.jurisdiction, "jurisdiction_name": base.jurisdiction_name,
           **({"year": first} if first == last else {"years": [first, last]}),
           "status": "draft", "extends": base.key, "parameters": params}
    text = yaml.safe_dump(_plain(doc), allow_unicode=True, sort_keys=False)
    pf = read_pack_file(WHATIF_FILE, text=text, name=WHATIF_FILE)
    problems = list(pf.problems)
    pack = None if problems else _resolve(pf, {**packs.files, pf.key: pf}, base.catalogue, {}, problems)
    if problems or pack is None:
        raise PackError(problems or [Problem(WHATIF_FILE, None, "", "cannot build the changed pack / 无法生成")])
    return pack


@dataclass
class RuleChange:
    rule: str
    title: str
    kind: str
    changed: int = 0
    entered: int = 0  # a flag that became true (or a class / amount that appeared)
    left: int = 0  # a flag that became false
    households: list[dict] = field(default_factory=list)  # id, before, after (status or value), up to the limit
    changed_ids: list[str] = field(default_factory=list)  # every household that changes (for counts by area)
    by_area: dict = field(default_factory=dict)  # filled by the caller, who knows where households live


def _shown(status, value) -> str:
    if status != "ok":
        return status or ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        from .values import money

        return money(value)
    return "" if value is None else str(value)


def compare(pack: Pack, before: pl.DataFrame, after: pl.DataFrame, *, limit: int = 500) -> list[RuleChange]:
    """Per rule of `pack`: households whose outcome (status and value) differs between two batch results."""
    joined = before.join(after, on=ID, how="inner", suffix="__new")
    out = []
    for rule in pack.rules:
        value, status = rule.id, f"{rule.id}__status"
        differs = (pl.col(status).ne_missing(pl.col(status + "__new"))
                   | pl.col(value).ne_missing(pl.col(value + "__new")))
        changed = joined.filter(differs).select(ID, value, status, value + "__new", status + "__new").sort(ID)
        change = RuleChange(rule.id, rule.title, rule.kind, changed.height)
        for row in changed.iter_rows(named=True):
            old = _shown(row[status], row[value])
            new = _shown(row[status + "__new"], row[value + "__new"])
            if rule.kind == "flag":
                change.entered += new == "true"
                change.left += old == "true"
            change.changed_ids.append(row[ID])
            if len(change.households) < limit:
                change.households.append({"id": row[ID], "before": old, "after": new})
        out.append(change)
    return out


def as_of_default(pack: Pack, year: int | None) -> dt.date:
    return dt.date(year, 12, 31) if year else pack.default_as_of()
