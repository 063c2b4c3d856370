from pathlib import Path

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.registry.io.cli import actor_from_username
from fupin.registry.io.exporter import FORMATS, registry_export


class Command(FupinCommand):
    help = ("批量导出 / bulk export: `fupin export registry --out FILE` writes one registry year in the national "
            "export layout (.xlsx or .csv), streamed. Certificate and phone numbers are masked unless --user may "
            "see them, or --unmasked is given without --user. 按国扶系统导出格式导出建档立卡名单。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="noun", required=True)
        registry = sub.add_parser("registry", help="households and persons / 建档立卡户和人口")
        registry.add_argument("--out", required=True, help="file to write / 输出文件")
        registry.add_argument("--year", type=int, default=2020, help="registry year, default 2020 / 年度")
        registry.add_argument("--area", default="", help="division code to narrow to / 区划代码（县、乡镇或村）")
        registry.add_argument("--format", choices=FORMATS, help="xlsx or csv; default from the --out suffix / 格式")
        registry.add_argument("--user", help="export as this user: their areas, masked where they may not see "
                                             "numbers / 以该用户身份导出")
        registry.add_argument("--unmasked", action="store_true",
                              help="full certificate and phone numbers (system export only, audited) / 不遮盖证件号码")
        self.add_json_flag(registry)

    def handle(self, *args, **options):
        out = Path(options["out"])
        fmt = options["format"] or ("csv" if out.suffix.lower() in (".csv", ".txt") else "xlsx")
        actor = actor_from_username(options["user"])
        if options["unmasked"] and actor is not None:
            raise CommandError("--unmasked 只能用于系统导出（不带 --user） / only without --user")
        draw = self.progress("导出 export")
        progress = (lambda done, _total, _message: draw(done, max(done, 1))) if draw else None
        try:
            with out.open("wb") as fh:
                result = registry_export(actor=actor, out=fh, year=options["year"], area=options["area"], fmt=fmt,
                                         full_numbers=True if options["unmasked"] else None, progress=progress)
        except ApplicationError as exc:
            out.unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"无法写入 / cannot write {out}: {exc.strerror}") from exc
        payload = {**result.as_dict(), "out": str(out)}
        self.emit(payload, options, text=f"{result.year}年度：导出{result.households}户、{result.rows}人到 {out}"
                                         f"（{result.masked_rows}人的证件号码和电话已遮盖），用时{result.seconds}秒")
