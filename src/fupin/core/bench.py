"""Benchmarks: `fupin bench <workload>` prints one JSON object with our figure and the baselines
measured in the same run on the same data.

A workload registers itself with `@benchmark("name")`; its function receives the size and the options
and returns a `BenchResult`. The command adds the database, peak memory and the ratios (our throughput
divided by each baseline's: above 1 means faster than the baseline).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_WORKLOADS: dict[str, tuple[Callable[..., BenchResult], int, str]] = {}


@dataclass
class Timing:
    seconds: float
    items: int

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("inf")

    def as_dict(self) -> dict[str, float]:
        return {"seconds": round(self.seconds, 4), "per_second": round(self.per_second, 1)}


@dataclass
class BenchResult:
    result: Timing
    baselines: dict[str, Timing] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def benchmark(name: str, *, default_size: int, help: str):  # noqa: A002  (argparse-style word)
    def register(fn: Callable[..., BenchResult]) -> Callable[..., BenchResult]:
        _WORKLOADS[name] = (fn, default_size, help)
        return fn

    return register


def workloads() -> dict[str, tuple[Callable[..., BenchResult], int, str]]:
    return dict(sorted(_WORKLOADS.items()))


class Stopwatch:
    """`with Stopwatch() as sw: ...` then `sw.seconds`."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def report(*, workload: str, size: int, database: str, outcome: BenchResult) -> dict[str, Any]:
    ours = outcome.result.per_second
    return {
        "workload": workload,
        "size": size,
        "database": database,
        "result": {**outcome.result.as_dict(), "peak_rss_mb": peak_rss_mb()},
        "baselines": {name: t.as_dict() for name, t in outcome.baselines.items()},
        "ratios": {name: round(ours / t.per_second, 3) if t.per_second else None
                   for name, t in outcome.baselines.items()},
        **({"extra": outcome.extra} if outcome.extra else {}),
    }
