import datetime as dt

from django.core.management.base import CommandError

from fupin.audit.services import audit_prune, audit_verify
from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError


class Command(FupinCommand):
    help = "审计日志 / audit trail: verify the hash chain, prune old events. 校验哈希链、修剪过期事件。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="check every event; exit 1 if any was edited, inserted or deleted / 校验")
        self.add_json_flag(verify)
        prune = sub.add_parser("prune", help="delete events older than a date (at least 6 months old) / 修剪")
        prune.add_argument("--before", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
        self.add_json_flag(prune)

    def handle(self, *args, **options):
        if options["verb"] == "prune":
            try:
                count = audit_prune(actor=None, before=options["before"])
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.emit({"deleted": count}, options, text=f"已修剪 {count} 条审计事件")
            return
        report = audit_verify()
        lines = [f"审计链校验：检查 {report.checked} 条（#{report.first_seq}–#{report.last_seq}）"]
        lines += [f"  #{p['seq']} {p['problem']}: {p['message']}" for p in report.problems]
        lines.append("结果：完好 OK" if report.ok else f"结果：发现 {len(report.problems)} 处问题 FAILED")
        self.emit(report.as_dict(), options, text="\n".join(lines))
        if not report.ok:
            raise CommandError(f"audit chain broken: {len(report.problems)} problem(s)")
