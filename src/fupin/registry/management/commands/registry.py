from pathlib import Path

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.registry.io.cli import actor_from_username
from fupin.registry.quality import CHECKS_BY_ID, summary_by_check
from fupin.registry.quality_export import quality_workbook
from fupin.registry.quality_store import stored_run


class Command(FupinCommand):
    help = ("建档立卡 / registry: `fupin registry quality --year 2020 --area 210922` runs the data-quality checks "
            "(两该两不该, 账实相符/账账相符, cross-year) and prints the counts per check; --out writes the issue "
            "list as .xlsx. 数据质量检查。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        quality = sub.add_parser("quality", help="data-quality checks / 数据质量检查")
        quality.add_argument("--year", type=int, required=True, help="registry year / 年度")
        quality.add_argument("--area", default="", help="division code: county, township or village / 区划代码")
        quality.add_argument("--check", action="append", choices=sorted(CHECKS_BY_ID),
                             help="only this check (repeatable) / 只运行该检查项")
        quality.add_argument("--user", help="run as this user: their areas only / 以该用户身份（其管辖范围）")
        quality.add_argument("--refresh", action="store_true",
                             help="run the checks again even if the stored result is current / 重新检查")
        quality.add_argument("--out", help="write the issue list to this .xlsx file / 问题清单输出文件")
        self.add_json_flag(quality)

    def handle(self, *args, **options):
        actor = actor_from_username(options["user"])
        try:
            run = stored_run(actor=actor, year=options["year"], area_code=options["area"], checks=options["check"],
                             refresh=options["refresh"])
            if options["out"]:
                with Path(options["out"]).open("wb") as fh:
                    quality_workbook(actor=actor, run=run, out=fh)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"无法写入 / cannot write {options['out']}: {exc.strerror}") from exc
        checks = [row for row in summary_by_check(run) if not options["check"] or row["id"] in options["check"]]
        payload = {"year": run.year, "area": run.area_code, "households": run.households, "issues": len(run.issues),
                   "seconds": run.seconds, "skipped": run.skipped, "checks": checks, "out": options["out"] or ""}
        lines = [f"{run.year}年度 {run.area_code or '全部'}：{run.households}户，问题{len(run.issues)}条（{run.seconds}秒）"]
        lines += [f"  {row['count']:>6}  {row['group']} · {row['title']}" for row in checks]
        lines += [f"  ! {note}" for note in run.skipped]
        if options["out"]:
            lines.append(f"问题清单已写入 {options['out']}")
        self.emit(payload, options, text="\n".join(lines))
