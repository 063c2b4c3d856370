from pathlib import Path

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.registry.io.cli import actor_from_username
from fupin.registry.io.importer import import_error_workbook, registry_import


class Command(FupinCommand):
    help = ("批量导入 / bulk import: `fupin import registry FILE` reads a registry file in the national export "
            "layout (.xlsx or .csv), checks every row and writes it. Atomic unless --partial. "
            "导入国扶系统导出格式的建档立卡名单，逐行校验；默认全部无误才写入。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="noun", required=True)
        registry = sub.add_parser("registry", help="households and persons / 建档立卡户和人口")
        registry.add_argument("file", help=".xlsx or .csv file / 要导入的文件")
        registry.add_argument("--year", type=int, help="registry year; default: the file's 年度 column / 年度")
        registry.add_argument("--partial", action="store_true",
                              help="import the valid households, report the rest / 部分导入：导入无误的户")
        registry.add_argument("--errors", help="error workbook to write when there are problems; default "
                                               "FILE-errors.xlsx / 错误清单输出路径")
        registry.add_argument("--user", help="act as this user (their areas and rights); default: the system, "
                                             "every area / 以该用户身份导入")
        self.add_json_flag(registry)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {path}")
        draw = self.progress("导入 import")
        progress = (lambda done, total, _message: draw(done, total)) if draw else None
        try:
            result = registry_import(actor=actor_from_username(options["user"]), file=path, year=options["year"],
                                     partial=options["partial"], progress=progress)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        payload = result.as_dict(problems=20)
        errors = ""
        if result.problems:
            errors = options["errors"] or str(path.with_name(path.stem + "-errors.xlsx"))
            import_error_workbook(result, errors)
            payload["errors_file"] = errors
        lines = [result.message]
        for p in result.problems[:20]:
            lines.append(f"  {p}")
        if result.problem_count > 20:
            lines.append(f"  ……共{result.problem_count}个问题")
        if errors:
            lines.append(f"错误清单 / error workbook: {errors}")
        self.emit(payload, options, text="\n".join(lines))
        if result.status == "rejected":
            raise CommandError(result.message)
        if result.problem_count:
            raise CommandError(f"部分导入：{result.households_rejected}户未导入 / partial import", returncode=2)
