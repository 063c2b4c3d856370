import datetime as dt

from fupin.core.commands import FupinCommand


class Command(FupinCommand):
    help = ("督查整改 / supervision: overdue — 逾期问题督办至上一级（每日运行，可重复）/ escalate findings past "
            "their deadline to the level above (run daily; idempotent); checklists — 加载督查清单 / load the "
            "shipped checklists.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        overdue = sub.add_parser("overdue", help="escalate overdue findings / 逾期督办")
        overdue.add_argument("--date", type=dt.date.fromisoformat, help="as of YYYY-MM-DD (default today) / 统计日期")
        self.add_json_flag(overdue)
        checklists = sub.add_parser("checklists", help="load the shipped checklists / 加载督查清单")
        self.add_json_flag(checklists)

    def handle(self, *args, **options):
        if options["verb"] == "checklists":
            from fupin.supervision.checklists import checklists_load

            loaded = checklists_load(actor=None)
            self.emit([{"key": c.key, "version": c.version, "items": c.items.count()} for c in loaded], options,
                      text="\n".join(f"{c.title}（第{c.version}版）：{c.items.count()} 条要点" for c in loaded))
            return
        from fupin.supervision.services import findings_escalate_overdue

        escalated = findings_escalate_overdue(actor=None, today=options.get("date"))
        rows = [{"id": f.pk, "area": f.area.code, "responsible": f.responsible_label, "deadline": f.deadline,
                 "escalated_to": f.escalated_to} for f in escalated]
        text = (f"新督办逾期问题 {len(rows)} 个" + "".join(
            f"\n  #{r['id']} {r['responsible']} 整改时限 {r['deadline']} → 督办至 {r['escalated_to']}" for r in rows))
        self.emit({"escalated": len(rows), "findings": rows}, options, text=text)
