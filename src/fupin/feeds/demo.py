"""Demo data of department data feeds for the demo county: the medical insurance bureau's claims for
2020 (uploaded by the demo `medical` account, as a GBK CSV the way Excel on Chinese Windows writes it) and
the civil affairs bureau's new assistance (uploaded by the county office, as civil affairs has no demo
account). Both go through the real upload path, so the row report shows a bad ID number, an unknown one
and a duplicate; several alerts fire in 富有村委会 and 黄花山村委会, and the village clerks handle a few.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

from fupin.accounts.models import User
from fupin.core.errors import ApplicationError
from fupin.core.validators import id_check_digit
from fupin.feeds.kinds import feed_kind
from fupin.feeds.models import AlertStatus, DepartmentAlert, FeedUpload
from fupin.feeds.services import alert_handle, case_propose_available, feed_load
from fupin.registry.models import Household, HouseholdStatus, Person

COUNTY, YEAR = "210922", 2020
VILLAGES = ("210922101202", "210922101203")  # the demo clerks' villages


def _persons(village: str, count: int) -> list[Person]:
    return list(Person.objects.filter(year=YEAR, household__village__code=village, status="active")
                .exclude(household__status__in=[HouseholdStatus.REMOVED, HouseholdStatus.NATURAL_DECREASE])
                .select_related("household").order_by("person_number")[:count])


def _write(path: Path, kind_key: str, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.header for c in feed_kind(kind_key).columns])
        writer.writerows(rows)
    return path


def _claims(rng: random.Random) -> list[list[str]]:
    rows, serial = [], 0
    for village in VILLAGES:
        people = _persons(village, 40)
        for i, p in enumerate(people):
            heavy = i % 9 == 0  # about one household in nine has costs above its income
            for _ in range(rng.randint(1, 3)):
                serial += 1
                day = f"{YEAR}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
                paid = float(p.household.net_income) * rng.uniform(0.7, 1.2) if heavy else rng.uniform(80, 1500)
                rows.append([p.name, p.id_number, f"YB{YEAR}{serial:07d}", "彰武县人民医院", day, day,
                             f"{paid * 2.5:.2f}", f"{paid:.2f}"])
    rows.append(["张某", "210922197001011234", "YB2020X0001", "彰武县中医院", "", "2020-06-01", "800", "300"])
    rows.append(["李某", "11010119900307123" + id_check_digit("11010119900307123"), "YB2020X0002", "彰武县中医院", "", "2020-06-02", "900", "200"])
    rows.append(list(rows[0]))
    return rows


def _assistance(rng: random.Random) -> list[list[str]]:
    rows = []
    for village in VILLAGES:
        for p in _persons(village, 60)[45::5]:
            kind = rng.choice(["低保", "特困", "临时救助"])
            rows.append([p.name, p.id_number, kind, f"{YEAR}-{rng.randint(3, 10):02d}-15",
                         "" if kind == "临时救助" else f"{rng.randint(3000, 4300)}"])
    return rows


def demo_feeds() -> dict:
    """Idempotent: nothing is done when the demo county already has an upload."""
    if FeedUpload.objects.filter(county__code=COUNTY + "000000").exists():
        return {}
    if not Household.objects.filter(year=YEAR, village__code__in=VILLAGES).exists():
        return {}
    rng = random.Random(2020)
    medical, officer = User.objects.get(username="medical"), User.objects.get(username="officer")
    with tempfile.TemporaryDirectory(prefix="fupin-demo-feeds-") as folder:
        claims = _write(Path(folder) / "彰武县医保局2020年结算数据.csv", "medical_insurance", _claims(rng), "gbk")
        first = feed_load(actor=medical, kind_key="medical_insurance", county_code=COUNTY, path=claims, year=YEAR)
        help_file = _write(Path(folder) / "民政局新增救助对象.csv", "civil_affairs", _assistance(rng), "utf-8-sig")
        second = feed_load(actor=officer, kind_key="civil_affairs", county_code=COUNTY, path=help_file, year=YEAR)
    _handle_some()
    return {"uploads": 2, "alerts": first.alerts_raised + second.alerts_raised}


def _handle_some() -> None:
    """The clerk of 富有村委会 has checked two alerts; one household that had exited becomes a monitoring case
    when the monitoring app is there. The rest wait in the list."""
    clerk = User.objects.get(username="clerk")
    alerts = list(DepartmentAlert.objects.filter(village__code=VILLAGES[0], status=AlertStatus.OPEN).order_by("pk"))
    notes = [(AlertStatus.VERIFIED, "入户核实：住院治疗属实，已告知医疗救助政策"),
             (AlertStatus.NOT_APPLICABLE, "核实：费用已由商业保险赔付，家庭收入稳定")]
    for alert, (outcome, note) in zip(alerts, notes, strict=False):
        alert_handle(actor=clerk, alert=alert, outcome=outcome, note=note, version=alert.version)
    if case_propose_available():
        exited = next((a for a in alerts[len(notes):] if a.household.status == HouseholdStatus.EXITED), None)
        if exited is not None:
            try:
                alert_handle(actor=clerk, alert=exited, outcome=AlertStatus.MONITORING,
                             note="因病支出骤增，提请纳入监测", version=exited.version)
            except ApplicationError:  # the monitoring app may refuse this household; the alert stays open
                pass
