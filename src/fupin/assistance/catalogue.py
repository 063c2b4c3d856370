"""The catalogue of assistance measures (帮扶措施目录), shipped as versioned data in
`assistance/data/measures.yaml`. Each category and measure cites the sentence of the documents it
comes from; `kind` says whether it is work-based (开发式) or protection (保障性)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from fupin.core.errors import ValidationFailed

DATA = Path(__file__).resolve().parent / "data" / "measures.yaml"
KINDS = ("work", "protection")


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    seed: str
    quote: str


@dataclass(frozen=True)
class MeasureType:
    code: str
    name: str
    category: str
    kind: str
    seed: str
    quote: str


@dataclass(frozen=True)
class Catalogue:
    version: int
    title: str
    categories: dict[str, Category]
    measures: dict[str, MeasureType]

    def measure(self, code: str) -> MeasureType:
        try:
            return self.measures[code]
        except KeyError:
            raise ValidationFailed(_("帮扶措施目录中没有措施代码 %(code)s") % {"code": code},
                                   code="unknown_measure") from None

    def category_label(self, code: str) -> str:
        category = self.categories.get(code)
        return category.label if category else code


def _read(path: Path) -> Catalogue:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = {code: Category(code, c["label"], c["cite"]["seed"], c["cite"]["quote"])
                  for code, c in raw["categories"].items()}
    measures: dict[str, MeasureType] = {}
    for m in raw["measures"]:
        if m["category"] not in categories or m["kind"] not in KINDS or m["code"] in measures:
            raise ValueError(f"{path.name}: bad measure {m.get('code')}")
        measures[m["code"]] = MeasureType(m["code"], m["name"], m["category"], m["kind"],
                                          m["cite"]["seed"], m["cite"]["quote"])
    return Catalogue(version=int(raw["version"]), title=raw["title"], categories=categories, measures=measures)


@cache
def catalogue() -> Catalogue:
    """The catalogue in force (read once per process)."""
    return _read(DATA)
