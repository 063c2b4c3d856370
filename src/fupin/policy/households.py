"""The rule engine applied to one registered household: the pack in force for its village and year,
the household's record in the engine's input shape, and the decisions with their explanations."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fupin.core.errors import NotFound
from fupin.policy.engine import Pack, evaluate_household
from fupin.policy.selectors import packs_for_area
from fupin.registry import schema
from fupin.registry.models import Household


def household_record(household: Household) -> dict:
    """Every catalogued field of the household and its current members, as the engine reads them."""
    record = {}
    for spec in schema.fields_of(schema.HOUSEHOLD):
        value = getattr(household, spec.name, None)
        record[spec.name] = value.code if spec.name == "village" and value is not None else value
    record["members"] = [
        {spec.name: getattr(person, spec.name, None) for spec in schema.fields_of(schema.PERSON)}
        for person in household.persons.all()
    ]
    return record


def pack_in_force(household: Household) -> Pack:
    packs = packs_for_area(household.village.code, household.year)
    if not packs:
        raise NotFound(_("%(year)s年%(area)s没有适用的政策包") % {"year": household.year, "area": household.village.name},
                       code="no_policy_pack")
    return packs[0]


@dataclass
class HouseholdEvaluation:
    pack: Pack
    as_of: dt.date
    decisions: dict
    household: Household | None = None

    def as_dict(self, *, explain: bool = True) -> dict:
        return {"pack": self.pack.key, "as_of": self.as_of,
                "decisions": {rule: d.as_dict(explain=explain) for rule, d in self.decisions.items()}}


def household_evaluate(household: Household, *, rules: list[str] | None = None) -> HouseholdEvaluation:
    """Decisions of the pack in force (or the named rules and what they depend on) for one household,
    each with the clauses, the values compared and the outcome."""
    pack = pack_in_force(household)
    as_of = dt.date(household.year, 12, 31)
    decisions = evaluate_household(pack, household_record(household), as_of=as_of, rules=rules)
    return HouseholdEvaluation(pack=pack, as_of=as_of, decisions=decisions, household=household)


def exit_standard_evidence(household: Household) -> dict:
    """The exit check a 脱贫退出 needs (收入超过标准 + 两不愁三保障 + 安全饮水), with what fails."""
    evaluation = household_evaluate(household, rules=["exit_standard"])
    decision = evaluation.decisions["exit_standard"]
    result = decision.as_dict(explain=True)
    failing = [title for title, passed in _clause_titles(evaluation.pack, decision) if not passed]
    return {"pack": evaluation.pack.key, "passed": decision.status == "ok" and decision.value is True,
            "status": decision.status, "failing": failing, "error": result.get("error"),
            "reasons": result.get("reasons", [])}


def _clause_titles(pack: Pack, decision) -> list[tuple[str, bool]]:
    rule = next(r for r in pack.rules if r.id == "exit_standard")
    titles = {c.id: c.title for c in getattr(rule, "clauses", [])}
    return [(titles.get(key, key), bool(value)) for key, value in decision.clauses.items()]


def _yes_no(value):
    if value is True or value == "true":
        return _("是")
    if value is False or value == "false":
        return _("否")
    return value


MISSING_PREFIX = "missing value / 缺少数据: "


def readable_error(message, pack: Pack):
    """A missing-value error as a reader can act on it: the fields' labels, and where each is collected
    (the registry's fields in the household record, the packs' own inputs at the monitoring screening).
    An error inherited from a rule this one depends on names that rule."""
    if not isinstance(message, str) or MISSING_PREFIX not in message:
        return message
    head, listed = message.split(MISSING_PREFIX, 1)
    registry, screening = [], []
    for name in listed.split(", "):
        entity, field = ("person", name.split(".", 1)[1]) if name.startswith("members.") else ("household", name)
        spec = pack.catalogue.get(entity, field)
        label = (spec.label or field) if spec else name
        (screening if spec is not None and spec.origin == "policy" else registry).append(label)
    parts = []
    if registry:
        parts.append(_("户信息未填：%(f)s") % {"f": "、".join(registry)})
    if screening:
        parts.append(_("需在防返贫监测排查时登记：%(f)s") % {"f": "、".join(screening)})
    text = _("无法判定（%(p)s）") % {"p": "；".join(parts)}
    rules = re.findall(r"depends on rules\.(\w+)", head)
    if rules:
        titles = {r.id: r.title for r in pack.rules}
        text = _("依赖的规则“%(r)s”%(t)s") % {"r": titles.get(rules[-1], rules[-1]), "t": text}
    return text


def _readable_reason(line, pack: Pack):
    """A reason line ending in a missing-value error (无法判定 cannot decide: ...) made readable."""
    if not isinstance(line, str) or MISSING_PREFIX not in line:
        return line
    starts = [i for i in (line.find("depends on rules."), line.find(MISSING_PREFIX)) if i >= 0]
    start = min(starts)
    return line[:start].replace("无法判定 cannot decide: ", "") + readable_error(line[start:], pack)


def stored_cell(decision) -> str:
    """A stored decision as the page shows it: 是/否, the amount or class, or why it could not be decided."""
    if decision is None:
        return ""
    if decision.status == "ok":
        return _yes_no(decision.value)
    return decision.error or decision.get_status_display()


def policy_rows(evaluation: HouseholdEvaluation) -> dict:
    """The decisions as rows for a page: rule title, outcome and the reasons (clauses and values), and
    beside them what the latest screening run stored for the household (when it was screened)."""
    from fupin.policy.selectors import latest_stored

    titles = {rule.id: rule.title for rule in evaluation.pack.rules}
    run, stored = latest_stored(evaluation.household) if evaluation.household is not None else (None, {})
    rows = []
    for rule_id, decision in evaluation.decisions.items():
        shown = decision.as_dict(explain=True)
        status_text = {"not_applicable": _("不适用"), "error": _("无法判定")}
        value = shown.get("value") if shown["status"] == "ok" else shown.get("error") or status_text.get(
            shown["status"], shown["status"])
        value = _yes_no(readable_error(value, evaluation.pack))
        kept = stored.get(rule_id)
        rows.append({"id": rule_id, "title": titles.get(rule_id, rule_id), "status": shown["status"],
                     "value": value, "reasons": shown.get("reasons", []), "stored": stored_cell(kept),
                     "stored_differs": kept is not None and (kept.status != shown["status"] or (
                         shown["status"] == "ok" and _yes_no(kept.value) != value and kept.value != str(value)))})
    for row in rows:
        row["stored"] = readable_error(row["stored"], evaluation.pack)
        row["reasons"] = [_readable_reason(line, evaluation.pack) for line in row["reasons"]]
    return {"pack": evaluation.pack.key, "as_of": evaluation.as_of, "rows": rows, "run": run}
