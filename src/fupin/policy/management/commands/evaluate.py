"""`fupin evaluate --pack ID --input FILE.jsonl`: decisions and reasons for households, as JSON lines."""

import datetime as dt
import json
import sys

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.policy.engine.jsonlines import batch_lines, evaluate_lines
from fupin.policy.selectors import pack_set


class Command(FupinCommand):
    help = ("按政策包对家庭逐户判定，输出判定结果和理由（JSON lines）/ evaluate households against a policy pack; "
            "input and output formats: docs/policy.md")

    def add_arguments(self, parser):
        parser.add_argument("--pack", required=True, help="pack id@version or id / 政策包")
        parser.add_argument("--input", required=True, help="households as JSON lines ('-' for stdin) / 输入文件")
        parser.add_argument("--output", help="write here instead of stdout / 输出文件")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="reference date YYYY-MM-DD (default: end of "
                            "the pack's last year) / 基准日期")
        parser.add_argument("--rules", help="only these rules (comma-separated) and what they read / 只判定这些规则")
        parser.add_argument("--engine", choices=["single", "batch"], default="single",
                            help="single: one household at a time with reasons; batch: vectorised, no reasons")
        parser.add_argument("--no-explain", action="store_true", help="leave out the explanation trees / 不输出解释树")
        parser.add_argument("--folder", help="pack folder (default: the shipped packs) / 政策包目录")

    def handle(self, *args, **options):
        try:
            pack = pack_set(options.get("folder")).get(options["pack"])
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        rules = [r.strip() for r in options["rules"].split(",") if r.strip()] if options.get("rules") else None
        for rid in rules or []:
            if rid not in {r.id for r in pack.rules}:
                raise CommandError(f"pack {pack.key} has no rule {rid!r} / 政策包没有此规则")
        try:
            source = sys.stdin if options["input"] == "-" else open(options["input"], encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {options['input']}: {exc.strerror} / 无法读取输入文件") from None
        out = open(options["output"], "w", encoding="utf-8") if options.get("output") else self.stdout  # noqa: SIM115
        counts = {"households": 0, "input_errors": 0, "rule_errors": 0}
        try:
            with source:
                if options["engine"] == "batch":
                    results = batch_lines(pack, source, as_of=options.get("as_of"), rules=rules)
                else:
                    results = evaluate_lines(pack, source, as_of=options.get("as_of"), rules=rules,
                                             explain=not options["no_explain"])
                for item in results:
                    counts["households"] += 1
                    if "error" in item:
                        counts["input_errors"] += 1
                    else:
                        counts["rule_errors"] += sum(1 for d in item["decisions"].values() if d["status"] == "error")
                    out.write(json.dumps(item, ensure_ascii=False) + "\n")
        finally:
            if options.get("output"):
                out.close()
        sys.stderr.write(f"{counts['households']} 户 households, {counts['input_errors']} 行无法读取 unreadable, "
                         f"{counts['rule_errors']} 项无法判定 undecided\n")
