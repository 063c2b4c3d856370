"""Benchmark of feeding the problem list (`fupin bench supervision`).

N data-quality issues spread over the villages of Zhangwu county are turned into findings by
`findings_import_quality` (timed): one set-based insert of findings and ledger steps, one audit event.
The baseline `orm_per_row` records the same kind of issue one finding at a time through
`finding_record` (the path a person takes on the page: checks, insert, ledger step, audit event) on a
sample of at most 200, extrapolated. A second import of the same issues (idempotency) and the overdue
escalation of all N are reported under `extra`.

Runs in a scratch year (2099) and a scratch account, and deletes the findings it wrote; their audit
events stay, so use a scratch database.
"""

from __future__ import annotations

import datetime as dt
import secrets

from fupin.core.bench import BenchResult, Stopwatch, Timing, benchmark

COUNTY = "210922"
YEAR = 2099
ORM_SAMPLE = 200


def _actor():
    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_assign, user_create
    from fupin.areas.selectors import area_get

    user = User.objects.filter(username="bench_supervision").first()
    if user is None:
        # A throwaway password nobody knows: the account only runs the benchmark.
        user = user_create(actor=None, username="bench_supervision", password=secrets.token_urlsafe(18) + "Aa1!")
    if not user.assignments.filter(role=Role.COUNTY_OFFICER).exists():
        role_assign(actor=None, user=user, role=Role.COUNTY_OFFICER, area=area_get(COUNTY))
    return user


def _villages() -> list[str]:
    from fupin.areas.models import Area, AreaLevel
    from fupin.areas.services import areas_load

    if not Area.objects.current().filter(code=COUNTY.ljust(12, "0")).exists():
        areas_load(actor=None, province=COUNTY[:2], within=[COUNTY])
    return list(Area.objects.current().filter(level=AreaLevel.VILLAGE, code__startswith=COUNTY)
                .order_by("code").values_list("code", flat=True))


def _cleanup() -> None:
    from fupin.supervision.models import Finding

    Finding.objects.filter(source_key__startswith=f"quality:{YEAR}:").delete()
    Finding.objects.filter(description__startswith="【基准测试】").delete()


@benchmark("supervision", default_size=20_000,
           help="N data-quality issues into the problem list (set-based), against finding_record per row")
def supervision(*, size: int, seed: int) -> BenchResult:
    from fupin.core import clock
    from fupin.supervision.services import finding_record, findings_escalate_overdue, findings_import_quality

    villages = _villages()  # loads the county's divisions first on an empty database
    actor = _actor()
    issues = [{"household_id": None, "area_code": villages[(i * 7 + seed) % len(villages)],
               "check": f"bench_{i % 12}", "message": f"基准测试问题 {i}"} for i in range(size)]
    _cleanup()
    try:
        with Stopwatch() as ours:
            added = findings_import_quality(actor=actor, year=YEAR, area_code=COUNTY, issues=issues)
        with Stopwatch() as again:
            repeated = findings_import_quality(actor=actor, year=YEAR, area_code=COUNTY, issues=issues)
        sample = min(size, ORM_SAMPLE)
        today = clock.today()
        with Stopwatch() as per_row:
            for issue in issues[:sample]:
                finding_record(actor=actor, area_code=issue["area_code"], description=f"【基准测试】{issue['message']}",
                               responsible_kind="village", found_on=today, deadline=today)
        with Stopwatch() as escalate:
            escalated = len(findings_escalate_overdue(actor=actor, today=today + dt.timedelta(days=31)))
    finally:
        _cleanup()
    return BenchResult(
        result=Timing(ours.seconds, added),
        baselines={"orm_per_row": Timing(per_row.seconds * size / sample, size)},
        extra={"added": added, "second_import_added": repeated, "second_import_seconds": round(again.seconds, 4),
               "orm_sample": sample, "escalated": escalated, "escalate_seconds": round(escalate.seconds, 4)})
