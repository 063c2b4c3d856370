"""The kinds of department data feed (行业部门数据), read from `fupin/data/feeds/kinds.yaml`.

Each kind says which department sends it, the columns of its file (Chinese headers as the department's
file has them), which columns make a row one fact, and the alert rule with the policy-pack parameter
its threshold comes from. The file is checked when it loads; a mistake in it is a startup error, not
a wrong alert later. No Django here (the engine and the benchmark read the kinds too); the departments
are checked against `fupin.accounts.roles.Department` when the app starts (`check_departments`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KINDS_FILE = Path(__file__).resolve().parent.parent / "data" / "feeds" / "kinds.yaml"
COLUMN_TYPES = {"id_number", "text", "money", "date", "choice"}
RULE_TYPES = {"household_sum_over_income", "share_of_income", "each_fact"}


class KindsError(Exception):
    pass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    type: str
    value: str = ""
    param: str = ""
    multiplier: float = 1.0
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cite: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FeedKind:
    key: str
    title: str
    department: str  # a Department value, or "" when only county staff upload it
    columns: tuple[Column, ...]
    fact: tuple[str, ...]
    date: str
    rule: Rule
    amount: str = ""
    risk_types: tuple[str, ...] = ()

    @property
    def headers(self) -> dict[str, str]:
        return {c.header: c.key for c in self.columns}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def department_label(self) -> str:
        from fupin.accounts.roles import Department

        return Department(self.department).label if self.department else "县扶贫部门"


def _kind(key: str, raw: dict) -> FeedKind:
    where = f"{KINDS_FILE.name}: {key}"
    department = raw.get("department") or ""
    columns = []
    for col_key, spec in (raw.get("columns") or {}).items():
        if spec.get("type") not in COLUMN_TYPES:
            raise KindsError(f"{where}.{col_key}: type must be one of {sorted(COLUMN_TYPES)}")
        columns.append(Column(col_key, str(spec["header"]), spec["type"], bool(spec.get("required", True)),
                              tuple(str(c) for c in spec.get("choices") or ())))
    keys = {c.key for c in columns}
    if "id_number" not in keys:
        raise KindsError(f"{where}: every kind needs an id_number column")
    rule_raw = raw.get("rule") or {}
    rule = Rule(id=rule_raw["id"], title=rule_raw["title"], type=rule_raw["type"], value=rule_raw.get("value", ""),
                param=rule_raw.get("param", ""), multiplier=float(rule_raw.get("multiplier", 1)),
                where={k: tuple(str(x) for x in v) for k, v in (rule_raw.get("where") or {}).items()},
                cite=rule_raw.get("cite") or {})
    if rule.type not in RULE_TYPES:
        raise KindsError(f"{where}.rule: type must be one of {sorted(RULE_TYPES)}")
    if rule.type != "each_fact" and (rule.value not in keys or not rule.param):
        raise KindsError(f"{where}.rule: needs a money `value` column and a pack `param`")
    referenced = [*raw.get("fact", []), raw.get("date"), *rule.where, *([raw["amount"]] if raw.get("amount") else [])]
    unknown = [k for k in referenced if k not in keys]
    if unknown:
        raise KindsError(f"{where}: unknown columns {unknown}")
    if not rule.cite.get("quote"):
        raise KindsError(f"{where}.rule: cite the clause it implements")
    return FeedKind(key=key, title=raw["title"], department=department, columns=tuple(columns),
                    fact=tuple(raw.get("fact") or ()), date=raw["date"], rule=rule, amount=raw.get("amount", ""),
                    risk_types=tuple(raw.get("risk_types") or ()))


@functools.cache
def feed_kinds() -> dict[str, FeedKind]:
    with KINDS_FILE.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {key: _kind(key, spec) for key, spec in raw.items()}


def check_departments() -> None:
    from fupin.accounts.roles import Department

    for kind in feed_kinds().values():
        if kind.department and kind.department not in Department.values:
            raise KindsError(f"{KINDS_FILE.name}: {kind.key}: unknown department {kind.department!r}")


def feed_kind(key: str) -> FeedKind:
    from fupin.core.errors import ValidationFailed

    kinds = feed_kinds()
    if key not in kinds:
        raise ValidationFailed(f"未知的部门数据类型：{key}（可选：{'、'.join(kinds)}）", code="unknown_kind")
    return kinds[key]
