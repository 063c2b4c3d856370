import importlib
import json

from django.apps import apps
from django.core.management.base import CommandError
from django.db import connection

from fupin.core.bench import report, workloads
from fupin.core.commands import FupinCommand


def _load_workloads() -> None:
    """Each app may define `bench.py` registering its workloads."""
    for config in apps.get_app_configs():
        if config.name.startswith("fupin."):
            try:
                importlib.import_module(f"{config.name}.bench")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.bench":
                    raise


class Command(FupinCommand):
    help = ("基准测试 / benchmarks: run one workload and print JSON with the figure and the baselines measured "
            "in the same run. 运行基准测试，输出JSON（含同次测得的基线）。")

    def add_arguments(self, parser):
        parser.add_argument("workload", nargs="?", help="workload name; omit to list them / 工作负载名称，省略则列出")
        parser.add_argument("--size", type=int, help="problem size (rows, households...) / 规模")
        parser.add_argument("--seed", type=int, default=1, help="random seed / 随机种子")
        parser.add_argument("--concurrency", type=int, help="load mode: simulated users (workloads that offer it) / "
                                                            "并发用户数（支持负载模式的工作负载）")
        parser.add_argument("--duration", type=int, help="load mode: seconds / 负载持续秒数")

    def handle(self, *args, **options):
        _load_workloads()
        known = workloads()
        name = options["workload"]
        if not name:
            for key, (_fn, size, text) in known.items():
                self.stdout.write(f"{key:<16} default size {size:>9,}  {text}")
            return
        if name not in known:
            raise CommandError(f"unknown workload {name!r}; known: {', '.join(known) or 'none'}")
        fn, default_size, _text = known[name]
        size = options["size"] or default_size
        if size <= 0:
            raise CommandError("--size must be positive")
        load = {k: options[k] for k in ("concurrency", "duration") if options.get(k)}
        outcome = fn(size=size, seed=options["seed"], **load)
        self.stdout.write(json.dumps(report(workload=name, size=size, database=connection.vendor, outcome=outcome),
                                     ensure_ascii=False))
