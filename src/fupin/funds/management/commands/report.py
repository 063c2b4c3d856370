import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.funds.inventory import FORMS, inventory_sheets, inventory_workbook


class Command(FupinCommand):
    help = ("官方报表 / official forms. asset-inventory: 扶贫资产清查表（附件1–4）filled from the data, "
            "one sheet per township / the four asset inventory tables, one sheet per township.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="form_name", required=True)
        inv = sub.add_parser("asset-inventory", help="扶贫资产清查表 附件1–4 / the four asset inventory tables")
        inv.add_argument("--form", type=int, required=True, choices=sorted(FORMS),
                         help="1 汇总表, 2 项目到户类资金清查表, 3 入股情况清查表, 4 形成资产情况调查表")
        inv.add_argument("--county", required=True, help="县级区划代码（6或12位）/ county code")
        inv.add_argument("--township", help="只填一个乡镇（9或12位）/ only this township")
        inv.add_argument("--out", required=True, type=Path, help="输出 .xlsx 文件 / output file")
        inv.add_argument("--from-year", type=int, default=2016, help="起始年度 / first year (2016)")
        inv.add_argument("--to-year", type=int, default=2020, help="截止年度 / last year (2020)")
        inv.add_argument("--as-of", type=dt.date.fromisoformat, help="净值和填报日期 YYYY-MM-DD / date of values")
        self.add_json_flag(inv)

    def handle(self, *args, **options):
        county = str(options["county"]).strip()
        area = str(options.get("township") or county).strip()
        if options.get("township") and not area.startswith(county[:6]):
            raise CommandError(f"乡镇 {area} 不属于县 {county}")
        if options["from_year"] > options["to_year"]:
            raise CommandError("起始年度不能晚于截止年度")
        out: Path = options["out"]
        if out.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须为 .xlsx")
        years = (options["from_year"], options["to_year"])
        try:
            sheets = inventory_sheets(options["form"], area.ljust(12, "0"), years=years, as_of=options.get("as_of"))
            workbook = inventory_workbook(options["form"], area.ljust(12, "0"), years=years, as_of=options.get("as_of"),
                                          sheets=sheets)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        out.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(out)
        summary = {"form": options["form"], "file": str(out), "sheets": [
            {"township": s.township.name, "code": s.township.code, "rows": len(s.rows)} for s in sheets]}
        text = f"附件{options['form']} 已写入 {out}：" + "，".join(
            f"{s.township.name} {len(s.rows)} 行" for s in sheets) if sheets else f"附件{options['form']} 已写入 {out}（无数据）"
        self.emit(summary, options, text=text)
