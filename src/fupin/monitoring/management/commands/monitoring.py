import datetime as dt

from django.core.management.base import CommandError

from fupin.core import clock
from fupin.core.commands import FupinCommand
from fupin.monitoring.models import MonitoringCase
from fupin.monitoring.selectors import overdue_of


class Command(FupinCommand):
    help = "防返贫监测 / anti-return monitoring: list what is overdue. 列出逾期事项（审核环节、月度记录、季度研判、季度采集）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        late = sub.add_parser("overdue", help="steps, monthly records, quarterly analyses and refreshes past due / 逾期事项")
        late.add_argument("--area", default="", help="area code, e.g. 210922 or 210922101 / 区划代码（默认全部）")
        late.add_argument("--on", type=dt.date.fromisoformat, default=None, help="as of YYYY-MM-DD / 截至日期")
        self.add_json_flag(late)

    def handle(self, *args, **options):
        area = (options["area"] or "").strip()
        if area and not area.isdigit():
            raise CommandError(f"区划代码应为数字 / area code must be digits: {area}")
        cases = MonitoringCase.objects.all()
        if area:
            cases = cases.filter(village__code__startswith=area)
        items = overdue_of(cases, today=options["on"] or clock.today())
        rows = [{**item.__dict__, "due_on": item.due_on.isoformat()} for item in items]
        counts: dict[str, int] = {}
        for item in items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        lines = [f"{i.due_on}  {i.kind_label}  {i.area_name}  {i.subject}" for i in items]
        lines.append(f"共 {len(items)} 项逾期 / {len(items)} overdue: " + "，".join(f"{k} {v}" for k, v in counts.items()))
        self.emit({"count": len(items), "by_kind": counts, "items": rows}, options, text="\n".join(lines))
