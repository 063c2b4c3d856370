"""What every ledger shares: its description (`Ledger`) and the checks against the database that need
the acting user (`Context`): villages in the user's scope, duplicates within the file."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fupin.accounts.access import can
from fupin.areas.models import Area, AreaLevel, pad_code

from .sheet import Col, Problem

Rows = list[tuple[int, dict]]


@dataclass(frozen=True)
class Ledger:
    kind: str  # stations | posts | loans: the URL and CLI name
    title: str  # the data sheet's name, e.g. 光伏电站台账
    noun: str  # what one row becomes, for messages
    tab: str  # the funds navigation tab the pages sit under
    columns: list[Col]
    notes: list[str]
    # check(ctx, rows) -> prepared rows (problems go to ctx); write(actor, prepared) -> codes created
    check: Callable[[Context, Rows], list]
    write: Callable[[object, list], list[str]]
    # an official inventory form (附件N of the asset plan) rather than a one-header-row ledger: read in the
    # layout `fupin.funds.inventory` exports (title, township, header, 合计 row), one sheet per township
    form: int = 0
    # form ledgers: the natural key of a prepared row, and the column named when it repeats across sheets
    key: Callable[[object], Hashable] | None = None
    key_column: str = ""


@dataclass
class Context:
    actor: object
    problems: list[Problem] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # village codes outside the actor's scope
    _villages: dict[str, Area | None] = field(default_factory=dict)

    def add(self, row: int, column: str, message: str, code: str, value="") -> None:
        self.problems.append(Problem(row, column, message, code, str(value or "")[:60]))

    def row_ok(self, row: int) -> bool:
        return not any(p.row == row for p in self.problems)

    def may(self, area_code: str) -> bool:
        return self.actor is None or can(self.actor, "funds.edit", area_code)

    def village(self, row: int, raw: str, column: str) -> Area | None:
        """A current village by its 12-digit code (9 digits + 000 padded), inside the user's scope."""
        code = pad_code(raw) if raw.isdigit() and len(raw) in (9, 12) else raw
        if code not in self._villages:
            self._villages[code] = Area.objects.current().filter(code=code).first()
        area = self._villages[code]
        if area is None:
            self.add(row, column, _("未知的区划代码"), "unknown_area", raw)
        elif area.level != AreaLevel.VILLAGE:
            self.add(row, column, _("应为行政村代码，“%(n)s”是%(l)s级区划") % {"n": area.name, "l": area.get_level_display()},
                     "owner_level", raw)
        elif not self.may(area.code):
            self.add(row, column, _("%(n)s不在您的管辖范围内（需要该村的资金登记权限）") % {"n": area.name},
                     "area_out_of_scope", raw)
            self.outside.append(area.code)
        else:
            return area
        return None

    def in_scope(self, row: int, area: Area, column: str, value) -> bool:
        if self.may(area.code):
            return True
        self.add(row, column, _("所在村%(n)s不在您的管辖范围内") % {"n": area.name}, "area_out_of_scope", value)
        self.outside.append(area.code)
        return False

    def unique_in_file(self, rows: Rows, key: Callable[[dict], Hashable | None], column: str, what: str) -> None:
        """Every row whose key repeats an earlier row's is a problem naming the earlier row."""
        first: dict = {}
        for number, values in rows:
            k = key(values)
            if k is None:
                continue
            if k in first:
                self.add(number, column, _("与第%(r)s行重复：%(w)s") % {"r": first[k], "w": what}, "duplicate_in_file",
                         k if isinstance(k, str) else " ".join(map(str, k)))
            else:
                first[k] = number
