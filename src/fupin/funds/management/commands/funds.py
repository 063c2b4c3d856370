from pathlib import Path

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.registry.io.cli import actor_from_username

# sub-command → ledger kind
IMPORTS = {"import-stations": ("stations", "导入光伏电站台账 / import PV stations"),
           "import-posts": ("posts", "导入公益岗位台账（含上岗人员）/ import public-welfare posts and their holders"),
           "import-loans": ("loans", "导入扶贫小额信贷台账 / import microloan applications"),
           "import-equity": ("equity", "导入附件3 扶贫资金入股情况清查表 / import the filled equity inventory form"),
           "import-assets": ("assets", "导入附件4 扶贫资金形成资产情况调查表 / import the filled asset inventory form")}


class Command(FupinCommand):
    help = ("扶贫资金台账 / funds ledgers. `fupin funds import-stations|import-posts|import-loans|import-equity|"
            "import-assets FILE --user NAME` imports a county ledger or a filled inventory form 附件3/附件4 (.xlsx, in "
            "the layout of the template or of the exported form; `template KIND --out FILE` writes it). "
            "All rows or none: every problem is listed with its row and column; a form whose 合计 differs from the "
            "sum of its rows is refused. 导入光伏电站、公益岗位、小额信贷台账和资产清查表，全部无误才写入。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        for verb, (_kind, label) in IMPORTS.items():
            p = sub.add_parser(verb, help=label)
            p.add_argument("file", type=Path, help=".xlsx file / 要导入的文件")
            p.add_argument("--user", help="act as this user (their areas and rights); default: the system, every "
                                          "area / 以该用户身份导入")
            self.add_json_flag(p)
        t = sub.add_parser("template", help="导入模板 / write the empty template of a ledger")
        t.add_argument("kind", choices=[k for k, _label in IMPORTS.values()], help="stations | posts | loans | equity | assets")
        t.add_argument("--out", type=Path, required=True, help="输出 .xlsx 文件 / output file")
        self.add_json_flag(t)

    def handle(self, *args, **options):
        from fupin.funds.ledger_import import ledger_import, ledger_template

        if options["verb"] == "template":
            out: Path = options["out"]
            if out.suffix.lower() != ".xlsx":
                raise CommandError("输出文件须为 .xlsx / the output must be .xlsx")
            out.parent.mkdir(parents=True, exist_ok=True)
            ledger_template(options["kind"]).save(out)
            self.emit({"kind": options["kind"], "file": str(out)}, options, text=f"导入模板已写入 {out}")
            return
        kind = IMPORTS[options["verb"]][0]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {path}")
        actor = actor_from_username(options["user"])
        try:
            with path.open("rb") as fh:
                result = ledger_import(kind=kind, actor=actor, fileobj=fh, name=path.name)
        except ApplicationError as exc:
            problems = exc.details.get("problems", [])
            if options.get("json"):
                self.emit({"ok": False, "code": exc.code, "message": exc.message, "problems": problems}, options)
            elif problems:
                self.stderr.write("\n".join(_line(p) for p in problems))
            raise CommandError(exc.message if not problems else
                               f"{len(problems)} 个问题，未导入任何数据 / nothing imported") from exc
        self.emit({"ok": True, **result}, options,
                  text=f"已导入{result['title']} {result['rows']} 行 / imported {result['rows']} rows")


def _line(p: dict) -> str:
    where = f"第{p['row']}行" if p["row"] else "文件"
    if p.get("sheet"):
        where = f"工作表“{p['sheet']}”{where}"
    column = f"“{p['column']}”" if p["column"] else ""
    return f"  {where}{column}：{p['message']}"
