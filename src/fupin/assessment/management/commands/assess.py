import json
from pathlib import Path

from django.core.management.base import CommandError

from fupin.assessment.engine import check_file, run_text, scheme_summary, shipped_folder
from fupin.assessment.selectors import findings_score, scheme_get, schemes_list
from fupin.core.commands import FupinCommand
from fupin.core.errors import ApplicationError


def _option(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise CommandError(f"选项应写成 名称=取值：{text}")
    name, value = text.split("=", 1)
    return name.strip(), value.strip()


def _fail(exc: ApplicationError):
    problems = exc.details.get("problems") or [exc.message]
    raise CommandError("\n".join(problems)) from exc


class Command(FupinCommand):
    help = ("考核评分 / assessment scoring: list the scoring schemes, score raw findings, check scheme files. "
            "列出考核方案、按方案计算得分和排名、检查方案文件。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        schemes = sub.add_parser("schemes", help="list the scoring schemes / 列出考核方案")
        self.add_json_flag(schemes)
        show = sub.add_parser("show", help="one scheme's indicators and options / 查看一个方案的指标和选项")
        show.add_argument("--scheme", required=True, help="scheme id, e.g. zhangwu-2020-team / 方案编号")
        self.add_json_flag(show)
        score = sub.add_parser("score", help="score raw findings given as JSON / 按方案计算得分、排名和等次")
        score.add_argument("--scheme", required=True, help="scheme id / 方案编号")
        score.add_argument("--input", required=True, help="findings JSON file, '-' for stdin / 考核发现（JSON文件）")
        score.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                           help="choose an option of the scheme (repeatable) / 选择方案选项（可重复）")
        score.add_argument("--version", type=int, help="scheme version (default: the latest) / 方案版本")
        score.add_argument("--all", action="store_true",
                           help="explain full-mark indicators too / 满分指标也逐项说明")
        score.add_argument("--sheets", metavar="DIR",
                           help="also write each subject's score sheet (附件1 layout, .xlsx and .pdf) into DIR, "
                                "and the county ranking (附件3) for team schemes / 输出评分表")
        self.add_json_flag(score)
        check = sub.add_parser("check", help="check scheme files in every option variant / 检查方案文件")
        check.add_argument("files", nargs="*", help="TOML files (default: the shipped schemes) / 方案文件")
        self.add_json_flag(check)

    def handle(self, *args, **options):
        verb = options["verb"]
        if verb == "schemes":
            rows = [{"id": s.id, "version": s.version, "title": s.title, "year": s.year, "issuer": s.issuer,
                     "subject": s.subject, "indicators": len(s.indicators), "options": sorted(s.options)}
                    for s in schemes_list()]
            text = "\n".join(f"{r['id']:<30} v{r['version']}  {r['year']}  {r['indicators']:>2}项  {r['title']}"
                             for r in rows)
            self.emit(rows, options, text=text)
        elif verb == "show":
            try:
                scheme = scheme_get(options["scheme"])
            except ApplicationError as exc:
                _fail(exc)
            payload = {"id": scheme.id, "version": scheme.version, "title": scheme.title,
                       "indicators": [{"id": i.id, "title": i.title, "max": float(i.max), "kind": i.kind,
                                       "criterion": i.criterion} for i in scheme.indicators],
                       "options": {n: {"title": o.title, "default": str(o.default), "choices": o.choices}
                                   for n, o in scheme.options.items()}}
            lines = [scheme_summary(scheme), ""]
            lines += [f"  {i.id:>5} {i.title}（{i.max.normalize():f}分，{i.kind}）{i.criterion}" for i in scheme.indicators]
            self.emit(payload, options, text="\n".join(lines))
        elif verb == "score":
            self._score(options)
        else:
            self._check(options)

    def _score(self, options):
        source = options["input"]
        try:
            text = self.stdin_text() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法读取输入文件 {source}：{exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"输入文件 {source} 不是 UTF-8 编码") from exc
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"输入文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}") from exc
        chosen = dict(_option(o) for o in options["option"])
        try:
            run = findings_score(scheme_id=options["scheme"], document=document, options=chosen,
                                 version=options.get("version"))
        except ApplicationError as exc:
            _fail(exc)
        if options.get("sheets"):
            self._sheets(run, Path(options["sheets"]))
        self.emit(run.as_dict(), options, text=run_text(run, every_indicator=options["all"]))

    def _sheets(self, run, folder: Path) -> None:
        """The official sheets of a scoring run: one score sheet per subject (county version), and for
        team schemes the ranking of each group (county)."""
        from fupin.assessment import forms

        try:
            folder.mkdir(parents=True, exist_ok=True)
            for subject in run.subjects:
                stem = folder / f"{subject.position + 1:03d}-{subject.id}"
                stem.with_suffix(".xlsx").write_bytes(forms.score_sheet_xlsx(
                    run.scheme, subject, version="county", subject_name=subject.name))
                stem.with_suffix(".pdf").write_bytes(forms.form_pdf(
                    "score_sheet", run.scheme, subject, version="county", subject_name=subject.name))
            if run.scheme.subject == "team":
                for group in sorted({s.group for s in run.subjects}):
                    rows = forms.ranking_rows(run, group=group)
                    (folder / f"ranking-{group or 'all'}.xlsx").write_bytes(forms.county_ranking_xlsx(
                        rows, county_name=group or "（未分组）", year=run.scheme.year))
        except ApplicationError as exc:
            _fail(exc)
        except OSError as exc:
            raise CommandError(f"无法写入 {folder}：{exc.strerror}") from exc

    def stdin_text(self) -> str:
        import sys

        return sys.stdin.read()

    def _check(self, options):
        files = [Path(f) for f in options["files"]] or sorted(shipped_folder().glob("*.toml"))
        report = {}
        for path in files:
            if not path.is_file():
                raise CommandError(f"找不到方案文件：{path}")
            report[path.name] = [str(p) for p in check_file(path)]
        lines = [f"{name}: {'OK' if not problems else f'{len(problems)} 处问题'}" for name, problems in report.items()]
        lines += [f"  {p}" for problems in report.values() for p in problems]
        self.emit(report, options, text="\n".join(lines))
        if any(report.values()):
            raise CommandError("方案文件有问题 / scheme files have problems")
