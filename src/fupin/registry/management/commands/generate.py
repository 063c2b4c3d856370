import sys

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.registry.bulk import registry_generate_csv, registry_generate_db


class Command(FupinCommand):
    help = ("模拟数据 / synthetic registry: realistic, deterministic households and persons on the real village "
            "codes of a county, to a CSV file in the national layout (--out) or into the database (--db). "
            "生成可复现的模拟建档立卡户数据。")

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="6-digit county code, e.g. 210922 / 县级区划代码")
        parser.add_argument("--households", type=int, required=True, help="number of households / 户数")
        parser.add_argument("--seed", type=int, default=1, help="random seed; same seed, same data / 随机种子")
        parser.add_argument("--year", type=int, default=2020, help="registry year, default 2020 / 年度")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--out", help="CSV file to write (UTF-8 with BOM) / 输出CSV文件")
        target.add_argument("--db", action="store_true", help="insert into the database / 写入数据库")
        self.add_json_flag(parser)

    def handle(self, *args, **options):
        if options["households"] < 1:
            raise CommandError("--households 应为正整数 / must be at least 1")
        county = options["county"].strip()
        if not (county.isdigit() and len(county) == 6):
            raise CommandError(f"--county 应为6位县级区划代码，实际为“{county}” / must be a 6-digit county code")
        progress = self.progress("households")
        try:
            if options["db"]:
                result = registry_generate_db(actor=None, county_code=county, households=options["households"],
                                              seed=options["seed"], year=options["year"], progress=progress)
            else:
                with open(options["out"], "w", encoding="utf-8-sig", newline="") as fh:
                    result = registry_generate_csv(county_code=county, households=options["households"],
                                                   seed=options["seed"], year=options["year"], out=fh,
                                                   progress=progress)
                result.out = options["out"]
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"无法写入文件 / cannot write {options['out']}: {exc.strerror}") from exc
        sys.stderr.flush()
        self.emit(result.as_dict(), options,
                  text=f"{result.year}年度 {result.county}：{result.households} 户，{result.persons} 人，"
                       f"用时 {result.seconds} 秒" + (f"，已写入 {result.out}" if result.out else "，已写入数据库"))
