"""The findings of one subject as an HTML form built from the scheme (one input per clause, measure or
term), and the posted form read back into the findings document of docs/assessment.md."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fupin.assessment.engine import Scheme
from fupin.core.errors import ValidationFailed


@dataclass
class Field:
    name: str        # the form field's name
    key: str         # the key inside the indicator's findings
    title: str
    input: str       # "number" | "flag"
    value: object    # the current value, for the form
    hint: str = ""


def _name(indicator_id: str, key: str) -> str:
    return f"f-{indicator_id}-{key}"


def _current(findings: dict, indicator_id: str, key: str):
    value = findings.get(indicator_id)
    if isinstance(value, dict):
        return value.get(key)
    return value if key == "value" else None


def indicator_fields(indicator, findings: dict) -> list[Field]:
    """The inputs of one indicator, filled with `findings` (the document's values)."""
    fields: list[Field] = []
    if indicator.kind == "deduction":
        for clause in indicator.clauses:
            if not clause.active:
                continue
            kind = "flag" if clause.input == "flag" else "number"
            hint = {"flag": f"扣{clause.points}分", "actual": f"应不少于{clause.at_least}",
                    }.get(clause.input, f"每处扣{clause.per}分" if clause.per is not None else "")
            fields.append(Field(_name(indicator.id, clause.id), clause.id, clause.title, kind,
                                _current(findings, indicator.id, clause.id), hint))
        if indicator.exemption is not None:
            fields.append(Field(_name(indicator.id, indicator.exemption.id), indicator.exemption.id,
                                indicator.exemption.title, "flag",
                                _current(findings, indicator.id, indicator.exemption.id), "不予扣减"))
    elif indicator.kind == "comparative":
        for measure in indicator.measures:
            fields.append(Field(_name(indicator.id, measure.id), measure.id, measure.title, "number",
                                _current(findings, indicator.id, measure.id), measure.unit))
    elif indicator.kind == "formula":
        for term in indicator.terms:
            fields.append(Field(_name(indicator.id, term.id), term.id, term.title, "number",
                                _current(findings, indicator.id, term.id), "%"))
    else:  # entered points
        fields.append(Field(_name(indicator.id, "value"), "value", f"得分（0–{indicator.max}）", "number",
                            _current(findings, indicator.id, "value")))
    return fields


def form_parts(scheme: Scheme, findings: dict, raw=None) -> list[dict]:
    """Parts with their indicators' inputs, filled from `findings`, or from `raw` (a refused post, as
    typed) when given."""
    indicators = list(scheme.indicators)
    parts = []
    for part in scheme.parts:
        items = []
        for indicator in (i for i in indicators if i.part_id == part.id):
            fields = indicator_fields(indicator, findings)
            if raw is not None:
                for field in fields:
                    field.value = (raw.get(field.name) in ("on", "true", "1")) if field.input == "flag" \
                        else raw.get(field.name, "")
            items.append({"indicator": indicator, "fields": fields})
        if items:
            parts.append({"part": part, "items": items})
    return parts


def _number(raw: str, label: str) -> int | float:
    try:
        value = Decimal(raw.strip().replace("，", "").replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(f"“{label}”应为数字：{raw}", code="bad_findings") from None
    if not value.is_finite():
        raise ValidationFailed(f"“{label}”应为数字：{raw}", code="bad_findings")
    return int(value) if value == value.to_integral_value() else float(value)


def parse_findings(scheme: Scheme, data) -> dict:
    """The posted form as a findings document. Empty inputs are left out (for a deduction: nothing
    found); the engine then checks ranges and what must be given."""
    findings: dict[str, object] = {}
    for indicator in scheme.indicators:
        values: dict[str, object] = {}
        for field in indicator_fields(indicator, {}):
            raw = data.get(field.name)
            if field.input == "flag":
                if raw in ("on", "true", "1", True):
                    values[field.key] = True
                continue
            if raw is None or str(raw).strip() == "":
                continue
            values[field.key] = _number(str(raw), f"{indicator.id} {field.title}")
        if values:
            findings[indicator.id] = values["value"] if list(values) == ["value"] else values
    return findings


def parse_notes(scheme: Scheme, data) -> dict:
    return {i.id: str(data.get(f"note-{i.id}")).strip()[:500] for i in scheme.indicators
            if str(data.get(f"note-{i.id}") or "").strip()}
