from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.registry.dictionaries import dictionaries_load


class Command(FupinCommand):
    help = "数据字典 / code lists: load the shipped dictionaries (idempotent). 加载致贫原因、健康状况等数据字典（可重复执行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser("load", help="load or refresh every shipped code list / 加载或刷新全部数据字典")
        self.add_json_flag(load)

    def handle(self, *args, **options):
        try:
            result = dictionaries_load(actor=None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.emit(result.as_dict(), options,
                  text=f"字典 {result.dictionaries} 个：新增 {result.created} 项，更新 {result.updated} 项，"
                       f"未变 {result.unchanged} 项")
