from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError
from fupin.feeds.kinds import feed_kinds
from fupin.feeds.services import feed_load
from fupin.registry.io.cli import actor_from_username


class Command(FupinCommand):
    help = ("行业部门数据 / department data feeds: `fupin feeds kinds` lists the kinds and their columns; "
            "`fupin feeds load KIND FILE` checks a department file (.csv UTF-8/GBK or .xlsx), matches it against "
            "the registry by ID number and raises alerts. 上传部门数据文件，与建档立卡人口比对并产生预警。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        kinds = sub.add_parser("kinds", help="the kinds of feed and their columns / 数据类型及其列")
        self.add_json_flag(kinds)
        load = sub.add_parser("load", help="load one file / 上传一个文件")
        load.add_argument("kind", help="kind of feed, e.g. medical_insurance / 数据类型")
        load.add_argument("file", help=".csv or .xlsx file / 文件")
        load.add_argument("--county", help="county code; default: the first of FUPIN_COUNTIES / 县级区划代码")
        load.add_argument("--year", type=int, help="registry year; default: the county's latest / 年度")
        load.add_argument("--user", help="act as this user (their rights); default: the system / 以该用户身份上传")
        self.add_json_flag(load)

    def handle(self, *args, **options):
        if options["verb"] == "kinds":
            payload = {k.key: {"title": k.title, "department": k.department, "columns": [c.header for c in k.columns],
                               "rule": k.rule.title, "param": k.rule.param} for k in feed_kinds().values()}
            text = "\n".join(f"{key:<22} {v['title']}：{'、'.join(v['columns'])}" for key, v in payload.items())
            self.emit(payload, options, text=text)
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {path}")
        county = options["county"] or list(getattr(settings, "FUPIN_COUNTIES", ["210922"]))[0]
        draw = self.progress("比对 match")
        progress = (lambda done, total, _message="": draw(done, total)) if draw else None
        try:
            upload = feed_load(actor=actor_from_username(options["user"]), kind_key=options["kind"],
                               county_code=county, path=path, year=options["year"], progress=progress)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        payload = {"upload": upload.pk, "rows": upload.rows_total, "accepted": upload.rows_accepted,
                   "invalid": upload.rows_invalid, "duplicate": upload.rows_duplicate, "unknown": upload.rows_unknown,
                   "alerts": upload.alerts_raised, "problems": upload.problems[:20]}
        lines = [upload.message] + [f"  第{p['row']}行：{p['problem']}" for p in upload.problems[:20]]
        self.emit(payload, options, text="\n".join(lines))
