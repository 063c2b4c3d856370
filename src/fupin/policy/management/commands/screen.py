"""`fupin screen --pack ID --year Y --area CODE --engine {local,polars,spark}`: screen the registry and store
every household's decisions (one row per household and rule) with a run record."""

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.policy.frames import ENGINES
from fupin.policy.services import screening_run
from fupin.registry.io.cli import actor_from_username


class Command(FupinCommand):
    help = ("政策筛查 / screening: apply a published policy pack to every household of an area in a year and store "
            "the decisions and their reasons (docs/policy.md). 按政策包对区划内全部户判定并保存结果。")

    def add_arguments(self, parser):
        parser.add_argument("--pack", required=True, help="pack id@version or id / 政策包")
        parser.add_argument("--year", required=True, type=int, help="registry year / 年度")
        parser.add_argument("--area", required=True, help="area code (county, township or village) / 区划代码")
        parser.add_argument("--engine", choices=ENGINES, default="polars",
                            help="local: one household at a time; polars: vectorised; spark: PySpark / 计算方式")
        parser.add_argument("--user", help="act as this user (their areas and rights); default: the system / 以该用户身份")
        self.add_json_flag(parser)

    def handle(self, *args, **options):
        draw = self.progress("筛查 screen")
        progress = (lambda done, total, _message: draw(done, total)) if draw else None
        try:
            run = screening_run(actor=actor_from_username(options["user"]), pack_ref=options["pack"],
                                year=options["year"], area_code=options["area"], engine=options["engine"],
                                report=progress)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        payload = {"run": run.pk, "pack": run.pack, "fingerprint": run.fingerprint, "year": run.year,
                   "area": run.area_code, "engine": run.engine, "households": run.households,
                   "decisions": run.decisions, "errors": run.errors, "seconds": run.seconds, "rules": run.counts}
        text = (f"筛查批次 run #{run.pk}: {run.pack} {run.area_name} {run.year} ({run.engine}) — "
                f"{run.households} 户 households, {run.decisions} 条判定 decisions, {run.errors} 条无法判定 errors, "
                f"{run.seconds}s")
        self.emit(payload, options, text=text)
