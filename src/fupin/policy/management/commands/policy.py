"""`fupin policy list | show | check | diff | publish`: the policy packs from the command line."""

import json

from django.core.management.base import CommandError

from fupin.core.commands import FupinCommand
from fupin.policy.engine import PackError, load_folder, publish
from fupin.policy.engine.diff import describe, diff, diff_text
from fupin.policy.engine.packfile import read_pack_file
from fupin.policy.selectors import pack_folder


class Command(FupinCommand):
    help = ("政策包 / policy packs: list, show, check, diff, publish. "
            "列出、查看、校验、比较、发布政策包（按地区和年度的参数与规则）。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        for name, text in [("list", "list the packs / 列出政策包"), ("show", "one pack in full / 查看政策包"),
                           ("check", "validate packs (all shipped, or the files given) / 校验"),
                           ("diff", "compare two packs / 比较两个政策包"),
                           ("publish", "record a pack as published (its content hash) / 发布（登记内容哈希）"),
                           ("bench", "screening benchmark on generated households, JSON / 基准测试")]:
            p = sub.add_parser(name, help=text)
            p.add_argument("--folder", help="pack folder (default: the shipped packs) / 政策包目录")
            self.add_json_flag(p)
            if name in ("show", "publish"):
                p.add_argument("ref", help="id@version or id / 编号@版本")
            if name == "check":
                p.add_argument("files", nargs="*", help="pack files to check / 要校验的文件")
            if name == "bench":
                p.add_argument("--pack", default="zhangwu-2020", help="pack to run / 政策包")
                p.add_argument("--size", type=int, default=1_000_000, help="households / 户数")
                p.add_argument("--sample", type=int, default=2000, help="households for the per-household loop")
            if name == "diff":
                p.add_argument("a", help="id@version")
                p.add_argument("b", help="id@version")

    def handle(self, *args, **options):
        folder = pack_folder(options.get("folder"))
        getattr(self, f"do_{options['verb']}")(folder, options)

    def _packs(self, folder):
        packs = load_folder(folder)
        return packs

    def _get(self, packs, ref):
        try:
            return packs.get(ref)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None

    def do_list(self, folder, options):
        packs = self._packs(folder)
        rows = [{"key": p.key, "jurisdiction": p.jurisdiction, "name": p.jurisdiction_name,
                 "years": list(p.years), "status": p.status, "extends": p.extends, "rules": len(p.rules),
                 "parameters": len(p.parameters), "title": p.title}
                for p in sorted(packs.packs.values(), key=lambda p: (p.jurisdiction, p.years, p.version))]
        lines = [f"{r['key']:<24} {r['jurisdiction']} {r['name']:<10} {r['years'][0]}–{r['years'][1]} "
                 f"{r['status']:<9} 规则 {r['rules']:>2} 参数 {r['parameters']:>2}"
                 + (f"  ← {r['extends']}" if r["extends"] else "") for r in rows]
        if packs.problems:
            lines.append(f"另有 {len(packs.problems)} 个问题，运行 fupin policy check 查看 / problems: run fupin policy check")
        self.emit({"packs": rows, "problems": [p.as_dict() for p in packs.problems]}, options, text="\n".join(lines))

    def do_show(self, folder, options):
        pack = self._get(self._packs(folder), options["ref"])
        info = describe(pack)
        lines = [f"{pack.key}  {pack.title}", f"地区 {pack.jurisdiction} {pack.jurisdiction_name}  年度 "
                 f"{pack.years[0]}–{pack.years[1]}  状态 {pack.status}  继承 {' ← '.join(pack.chain)}",
                 f"指纹 fingerprint {pack.fingerprint[:16]}", "参数 parameters:"]
        for name, p in info["parameters"].items():
            lines.append(f"  {name} = {p['value']} {p['unit']}  {p['title']}")
        lines.append("规则 rules:")
        for rule in pack.rules:
            lines.append(f"  {rule.id} [{rule.kind}] {rule.title}")
            for clause in rule.clauses:
                lines.append(f"    - {clause.id}: {clause.source}")
            if rule.amount:
                lines.append(f"    = {rule.amount.source}")
        self.emit(info, options, text="\n".join(lines))

    def do_check(self, folder, options):
        files = options.get("files") or []
        if files:
            extra = [read_pack_file(path, name=path) for path in files]
            packs = load_folder(folder, extra=extra)
            names = {pf.path for pf in extra}
            keys = {pf.key for pf in extra if pf.id}
            problems = [p for p in packs.problems if p.file in names]
            checked = sorted(k for k in keys if k in packs.packs)
        else:
            packs = load_folder(folder)
            problems = packs.problems
            checked = sorted(packs.packs)
        text = "\n".join([str(p) for p in problems] + [f"校验通过 OK: {k}" for k in checked])
        self.emit({"ok": not problems, "checked": checked, "problems": [p.as_dict() for p in problems]}, options,
                  text=text or "没有政策包 no packs")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in policy packs / 政策包有 {len(problems)} 处问题")

    def do_diff(self, folder, options):
        packs = self._packs(folder)
        d = diff(self._get(packs, options["a"]), self._get(packs, options["b"]))
        self.emit(d, options, text=diff_text(d))

    def do_bench(self, folder, options):
        from fupin.policy.engine.bench import run

        pack = self._get(self._packs(folder), options["pack"])
        if options["size"] < 1:
            raise CommandError("--size must be at least 1 / 户数至少为1")
        result = run(pack, options["size"], loop_sample=options["sample"])
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def do_publish(self, folder, options):
        try:
            digest = publish(folder, options["ref"])
        except PackError as exc:
            raise CommandError(str(exc)) from None
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        self.emit({"published": options["ref"], "hash": digest}, options,
                  text=f"已发布 published {options['ref']} sha256 {digest}")
