"""The field catalogue rule expressions are checked against when a pack loads.

A `Catalogue` lists the fields of a household and of a person with their types (in the rule
language's terms: number, text, bool, date, codes) and, for coded fields, the allowed codes, so
`schooling == '4O'` is caught at load time. Tests build their own; `registry_catalogue()` reads the
registry's canonical schema (`fupin.registry.schema`, pure data) and its code dictionaries.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HOUSEHOLD = "household"
PERSON = "person"
ENTITIES = (HOUSEHOLD, PERSON)

# Types of the rule language.
NUMBER, TEXT, BOOL, DATE, CODES = "number", "text", "bool", "date", "codes"
FIELD_TYPES = frozenset({NUMBER, TEXT, BOOL, DATE, CODES})


@dataclass(frozen=True)
class FieldDef:
    entity: str
    name: str
    type: str
    label: str = ""
    codes: dict[str, str] | None = None  # code → label, for coded text fields and code lists
    origin: str = "registry"  # registry | policy (a field the policy packs add, see data/policy/fields.yaml)

    def __post_init__(self):
        if self.entity not in ENTITIES:
            raise ValueError(f"unknown entity {self.entity!r}")
        if self.type not in FIELD_TYPES:
            raise ValueError(f"{self.entity}.{self.name}: unknown type {self.type!r}")

    @property
    def display(self) -> str:
        return f"{self.name}（{self.label}）" if self.label else self.name


@dataclass
class Catalogue:
    fields: dict[tuple[str, str], FieldDef] = field(default_factory=dict)

    @classmethod
    def of(cls, defs: Iterable[FieldDef]) -> Catalogue:
        cat = cls()
        for d in defs:
            cat.fields[(d.entity, d.name)] = d
        return cat

    def get(self, entity: str, name: str) -> FieldDef | None:
        return self.fields.get((entity, name))

    def names(self, entity: str) -> list[str]:
        return sorted(name for (ent, name) in self.fields if ent == entity)

    def extended(self, defs: Iterable[FieldDef]) -> Catalogue:
        """A copy with more fields; a field the base already has keeps the base's definition."""
        cat = Catalogue(dict(self.fields))
        for d in defs:
            cat.fields.setdefault((d.entity, d.name), d)
        return cat

    def __contains__(self, key) -> bool:
        return key in self.fields


_REGISTRY_TYPES = {"str": TEXT, "int": NUMBER, "decimal": NUMBER, "date": DATE, "bool": BOOL,
                   "code": TEXT, "codes": CODES, "choice": TEXT}


def _dictionary(folder: Path, name: str) -> dict[str, str]:
    path = folder / f"{name}.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["code"]: row["label"] for row in csv.DictReader(fh)}


def registry_catalogue() -> Catalogue:
    """The registry's schema as a catalogue (codes from data/dictionaries/); empty if it is absent."""
    try:
        from fupin.registry import schema
    except ImportError:  # pragma: no cover - the registry is part of the project
        return Catalogue()
    folder = Path(schema.__file__).resolve().parent.parent / "data" / "dictionaries"
    defs = []
    for spec in schema.ALL_FIELDS:
        codes = None
        if spec.type in ("code", "codes"):
            codes = _dictionary(folder, spec.dictionary) or None
        elif spec.type == "choice":
            codes = dict(spec.choices)
        defs.append(FieldDef(spec.entity, spec.name, _REGISTRY_TYPES[spec.type], spec.label, codes))
    return Catalogue.of(defs)
