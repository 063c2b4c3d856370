"""Helpers shared by the ledger and form import tests: a workbook as an upload, a refusal, where it points."""

import io

import pytest

from fupin.core.errors import ValidationFailed
from fupin.funds.ledger_import import ledger_import


def save(wb, name="form.xlsx") -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = name
    return out


def refused(kind, actor, f) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as exc:
        ledger_import(kind=kind, actor=actor, fileobj=f)
    return exc.value


def where(exc) -> set[tuple[int, str, str]]:
    """(row, column, code) of every problem of a refused import."""
    return {(p["row"], p["column"], p["code"]) for p in exc.details["problems"]}
