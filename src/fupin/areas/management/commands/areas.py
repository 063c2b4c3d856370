from django.core.management.base import CommandError

from fupin.areas.services import areas_load
from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError


class Command(FupinCommand):
    help = "行政区划 / divisions: load the shipped statistical division codes (idempotent). 加载统计用区划代码（可重复执行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="load or refresh one province / 加载或刷新一个省")
        load.add_argument("--province", default="21", help="2-digit province code, default 21 (辽宁省) / 省级代码")
        self.add_json_flag(load)

    def handle(self, *args, **options):
        try:
            result = areas_load(actor=None, province=options["province"], progress=self.progress("areas"))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.emit(
            result.as_dict(), options,
            text=f"省 {options['province']}: 新增 {result.created}，更名 {result.renamed}，未变 {result.unchanged}",
        )
