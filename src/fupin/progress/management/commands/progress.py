from pathlib import Path

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.progress.catalogue import plans_load
from fupin.progress.indicators import indicators_refresh


class Command(FupinCommand):
    help = ("挂图作战与月调度 / battle map and monthly dispatch. load: 导入随系统发布的计划方案并核对 / load the "
            "shipped plans, checked; refresh: 增量刷新预聚合指标 / refresh the pre-aggregated indicators.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="导入计划方案（可重复执行）/ load the shipped plans (idempotent)")
        load.add_argument("--file", type=Path, action="append", help="只导入这些文件 / only these .toml files")
        load.add_argument("--replace", action="store_true", help="覆盖已导入的方案 / replace plans already loaded")
        self.add_json_flag(load)
        refresh = sub.add_parser("refresh", help="刷新预聚合指标（只重算有变化的村）/ refresh the aggregates")
        refresh.add_argument("--year", type=int, required=True, help="建档立卡年度 / registry year")
        refresh.add_argument("--full", action="store_true", help="全部重算 / recompute every village")
        self.add_json_flag(refresh)

    def handle(self, *args, **options):
        try:
            if options["verb"] == "load":
                reports = plans_load(actor=None, files=options.get("file"), replace=options["replace"])
                lines = []
                for r in reports:
                    line = f"{r.file}: {r.status} {r.code} 目标 {r.targets} 节点 {r.milestones}"
                    if r.reason:
                        line += f"（{r.reason}）"
                    lines += [line] + [f"  ⚠ {flag}" for flag in r.flags]
                self.emit([r.as_dict() for r in reports], options, text="\n".join(lines))
            else:
                result = indicators_refresh(year=options["year"], full=options["full"])
                self.emit(result.as_dict(), options,
                          text=f"{result.year}：共 {result.villages_total} 个村，重算 {result.villages_recomputed} 个，"
                               f"写入 {result.rows_written} 行汇总，新标注达标 {result.marks_added} 户")
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
