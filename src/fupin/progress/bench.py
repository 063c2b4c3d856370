"""`fupin bench dashboard`: the county battle map served from the pre-aggregated table, against the
same request with its figures computed on the fly over all persons, in the same run on the same data.

N persons of Zhangwu county are generated into a free registry year (not timed), the aggregates are
refreshed in full (timed, reported as `extra.refresh_seconds`), then one village is touched and the
incremental refresh is timed (`extra.incremental_refresh_seconds`). The figure is the 95th percentile
of the county battle map's data (`GET /api/progress/areas/<county>`: the county's figures, its 24
townships' and its targets with progress) requested repeatedly through Django's test Client (server
time: middleware, authentication, scoping, the table reads, serialisation). The `on_the_fly` baseline
is the same request preceded by the figures of the county and its townships computed by GROUP BY over
every household and person of the county — what it would cost without the pre-aggregated table.
`result.per_second` is 1 / p95, so the ratio is the baseline's p95 over ours. The full HTML page (with
the shared menu shell, whose badge counts belong to other apps) is reported as `extra.page_p95_ms`.

With `--concurrency C --duration S` it also starts the production server (gunicorn, 2 × cores + 1 sync
workers, `--preload`, the same database) on a loopback port, warms its workers up with a few
requests of each page, then runs C simulated users for S seconds, each opening the county battle map
or a household page every 2 seconds; `extra.load` reports requests, errors, the percentiles overall
and per page, the server's CPU per request and how busy the whole machine was (other processes
included) with the load averages. Use a scratch database: the run leaves its audit events (the rows it
wrote are deleted). Setting up a million persons takes a couple of minutes (the rows are written with
COPY); the generator itself is most of it.
"""

from __future__ import annotations

import http.client
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from fupin.core.bench import BenchResult, Timing, benchmark
from fupin.registry.models import Household, Person, RegistryYear

COUNTY = "210922"
PERSONS_PER_HOUSEHOLD = 2.59  # the generator's mean (Zhangwu)
REQUESTS = 40
BENCH_USER = "bench_dashboard"


def _prepare() -> None:
    from fupin.areas.models import Area
    from fupin.areas.services import areas_load
    from fupin.registry.dictionaries import dictionaries_load
    from fupin.registry.models import Dictionary

    if not Area.objects.current().filter(code=COUNTY.ljust(12, "0")).exists():
        areas_load(actor=None, province=COUNTY[:2], within=[COUNTY])
    if not Dictionary.objects.exists():
        dictionaries_load(actor=None)


def _free_year() -> int:
    used = set(Household.objects.values_list("year", flat=True).distinct())
    return next(y for y in range(2090, 2000, -1) if y not in used)


def _user(n: int = 1):
    """The n-th county officer of the run (kept in the scratch database for the next run)."""
    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_assign, user_create
    from fupin.areas.selectors import area_get

    username = BENCH_USER if n == 1 else f"{BENCH_USER}_{n}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, username=username, password=f"Bench@{random.randrange(10**9)}x")
        role_assign(actor=None, user=user, role=Role.COUNTY_OFFICER, area=area_get(COUNTY))
    return user


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def _on_the_fly(year: int) -> dict:
    """The county's and its townships' figures by GROUP BY over all its households and persons."""
    from fupin.progress.indicators import _village_counts

    per_village = _village_counts(year, None)
    totals: dict[str, dict[str, int]] = {}
    for code, values in per_village.items():
        for key in (code[:6], code[:9]):
            bucket = totals.setdefault(key, {})
            for k, v in values.items():
                bucket[k] = bucket.get(k, 0) + v
    return totals


def _time_requests(client: Client, url: str, *, before=None, n: int = REQUESTS) -> list[float]:
    client.get(url)  # warm-up: template loading, first connection
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        if before:
            before()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return samples


def _cleanup(year: int) -> None:
    from fupin.progress.models import AreaIndicator, StandardMark, VillageFingerprint

    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"DELETE FROM {Person._meta.db_table} WHERE year = %s", [year])
        c.execute(f"DELETE FROM {Household._meta.db_table} WHERE year = %s", [year])
        for model in (AreaIndicator, StandardMark, VillageFingerprint):
            model.objects.filter(year=year).delete()
        RegistryYear.objects.filter(year=year).delete()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:  # VACUUM refuses a transaction
        with connection.cursor() as c:
            c.execute(f"VACUUM ANALYZE {Household._meta.db_table}")
            c.execute(f"VACUUM ANALYZE {Person._meta.db_table}")


@benchmark("dashboard", default_size=2000,
           help="county battle map p95 from the pre-aggregated table vs on the fly; --concurrency/--duration "
                "add a load test against gunicorn")
def dashboard(*, size: int, seed: int, concurrency: int | None = None, duration: int | None = None) -> BenchResult:
    from fupin.progress.indicators import indicators_refresh
    from fupin.registry.bulk import registry_generate_db

    _prepare()
    year = _free_year()
    generated = registry_generate_db(actor=None, county_code=COUNTY, households=math.ceil(size / PERSONS_PER_HOUSEHOLD),
                                     seed=seed, year=year, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(f"ANALYZE {Household._meta.db_table}")
            c.execute(f"ANALYZE {Person._meta.db_table}")
    try:
        start = time.perf_counter()
        indicators_refresh(year=year, full=True)
        refresh_seconds = time.perf_counter() - start
        touched = Household.objects.filter(year=year).order_by("pk").first()
        Household.objects.filter(pk=touched.pk).update(status="exited", exit_year=year,
                                                       updated_at=touched.updated_at.replace(year=year))
        start = time.perf_counter()
        incremental = indicators_refresh(year=year)
        incremental_seconds = time.perf_counter() - start

        user = _user()
        client = Client(HTTP_HOST="127.0.0.1")  # a host the production settings allow
        client.force_login(user)
        url = f"/api/progress/areas/{COUNTY}000000?year={year}"
        n = REQUESTS if size >= 10_000 else REQUESTS // 2  # the CI smoke run (--size 2000) stays short
        ours = _time_requests(client, url, n=n)
        baseline = _time_requests(client, url, before=lambda: _on_the_fly(year), n=max(5, n // 4))
        page = _time_requests(client, f"/progress/map/{COUNTY}000000/?year={year}", n=max(5, n // 4))
        extra = {"persons": generated.persons, "households": generated.households, "year": year,
                 "generate_seconds": generated.seconds,
                 "refresh_seconds": round(refresh_seconds, 3), "incremental_refresh_seconds": round(incremental_seconds, 3),
                 "incremental_villages": incremental.villages_recomputed,
                 "p50_ms": round(_percentile(ours, 50) * 1000, 1), "p95_ms": round(_percentile(ours, 95) * 1000, 1),
                 "on_the_fly_p95_ms": round(_percentile(baseline, 95) * 1000, 1), "requests": len(ours),
                 "page_p50_ms": round(_percentile(page, 50) * 1000, 1),
                 "page_p95_ms": round(_percentile(page, 95) * 1000, 1)}
        if concurrency:
            extra["load"] = _load(year=year, users=concurrency, seconds=duration or 60)
        return BenchResult(result=Timing(_percentile(ours, 95), 1),
                           baselines={"on_the_fly": Timing(_percentile(baseline, 95), 1)}, extra=extra)
    finally:
        _cleanup(year)


# --- load mode ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(port: int, workers: int) -> subprocess.Popen:
    command = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    env = {**os.environ, "SECRET_KEY": settings.SECRET_KEY, "FUPIN_DEBUG": "0", "FUPIN_INSECURE_COOKIES": "1",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "fupin.config.settings"}
    if connection.vendor == "sqlite":
        env.setdefault("DATABASE_URL", f"sqlite:///{settings.DATABASES['default']['NAME']}")
    # Persistent database connections, as a production server keeps them: a new PostgreSQL connection
    # per request (Django's default) costs the database more CPU than the request's own queries (a
    # fresh backend process with empty catalogue caches). `DB_CONN_MAX_AGE=0` measures without.
    env.setdefault("DB_CONN_MAX_AGE", "60")
    log = tempfile.NamedTemporaryFile(prefix="fupin-bench-gunicorn-", suffix=".log", delete=False)
    # --preload: the application is imported once and the workers forked ready, not booted one by one.
    process = subprocess.Popen([command, "fupin.config.wsgi", "--preload", "-w", str(workers), "-b",
                                f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"],
                               env=env, stdout=log, stderr=log)
    deadline = time.time() + 120
    while time.time() < deadline:  # ready when every worker has answered a real request
        try:
            answered = 0
            for _ in range(workers * 2):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
                answered += conn.getresponse().status == 200
                conn.close()
            if answered == workers * 2:
                return process
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log.name}")


def _load(*, year: int, users: int, seconds: int) -> dict:
    """`users` threads, each a county officer of their own signed in with their own session (one shared
    session row would serialise every request on its update, one shared account would share its cached
    menu badges), opening the county battle map or a household page every 2 seconds. The workers are
    warmed first (a server in use has its templates compiled and its code imported); the cold first
    requests are reported apart (`warm_up_max_ms`)."""
    cookies = []
    for n in range(1, users + 1):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(_user(n))
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    households = list(Household.objects.filter(year=year).values_list("pk", flat=True)[:5000])
    pages = {"map": lambda rng: f"/progress/map/{COUNTY}000000/?year={year}",
             "household": lambda rng: f"/registry/households/{rng.choice(households)}/"}
    port = _free_port()
    workers = max(2, (os.cpu_count() or 2) * 2 + 1)
    server = _gunicorn(port, workers=workers)
    try:
        warm_up = _run_users(port, cookies[:workers * 2], pages, rounds=3)
        usage = _Usage(server.pid)
        samples = _run_users(port, cookies, pages, seconds=seconds)
        cpu = usage.taken()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers still draining a backlog: the figures are already taken
            server.kill()
            server.wait()
    latencies = [s.seconds for s in samples]
    errors = [f"{s.status} {s.path}" for s in samples if s.status != 200]
    result = {"users": users, "seconds": seconds, "workers": workers,
              "db_conn_max_age": int(os.environ.get("DB_CONN_MAX_AGE", "60")), "requests": len(samples),
              "errors": len(errors), "error_samples": errors[:5], **_spread(latencies)}
    for kind in pages:
        result[kind] = _spread([s.seconds for s in samples if s.kind == kind])
    result["warm_up_max_ms"] = round(max(s.seconds for s in warm_up) * 1000, 1) if warm_up else None
    if cpu:
        result.update(_cpu_figures(cpu, len(samples)))
    return result


@dataclass
class _Sample:
    kind: str
    path: str
    status: int  # 0: no answer (connection error or time-out)
    seconds: float


def _spread(latencies: list[float]) -> dict:
    if not latencies:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    return {"p50_ms": round(_percentile(latencies, 50) * 1000, 1), "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1)}


def _run_users(port: int, cookies: list[str], pages: dict, *, seconds: float | None = None,
               rounds: int | None = None) -> list[_Sample]:
    """One thread per cookie. For `seconds`: each opens a page picked at random every 2 seconds. For
    `rounds` (warming the workers up): each opens every page `rounds` times, without pausing."""
    samples: list[_Sample] = []
    lock = threading.Lock()
    stop_at = time.time() + (seconds or 0)

    def user(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if rounds:
            kinds = [kind for _ in range(rounds) for kind in pages]
        else:
            time.sleep(rng.random() * 2)  # users arrive spread over the first interval
        while kinds if rounds else time.time() < stop_at:
            began = time.time()
            kind = kinds.pop() if rounds else rng.choice(list(pages))
            path = pages[kind](rng)
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookies[n], "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                samples.append(_Sample(kind, path, status, time.perf_counter() - start))
            if not rounds:
                time.sleep(max(0.0, 2 - (time.time() - began)))
        conn.close()

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(len(cookies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join((seconds or 60) + 60)
    return samples


class _Usage:
    """CPU seconds used from now on by the server (its master and workers) and by the whole machine,
    read from /proc: what a request costs the server, and whether the machine had CPU to spare (other
    processes share it). None where /proc is missing (not Linux)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.started = time.monotonic()
        self.loadavg = os.getloadavg()[0]
        self.start = self._read()

    def _read(self) -> tuple[float, float] | None:
        try:
            tick = os.sysconf("SC_CLK_TCK")
            server = sum(ticks for pid, (parent, ticks) in _processes().items()
                         if self.server_pid in (pid, parent)) / tick
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
            return server, (sum(fields) - fields[3] - fields[4]) / tick  # all but idle and iowait
        except (OSError, ValueError):
            return None

    def taken(self) -> dict | None:
        end = self._read()
        if self.start is None or end is None:
            return None
        return {"server": end[0] - self.start[0], "machine": end[1] - self.start[1],
                "elapsed": time.monotonic() - self.started, "loadavg": (self.loadavg, os.getloadavg()[0])}


def _processes() -> dict[int, tuple[int, int]]:
    """Every process: its parent and the CPU ticks it used (user and system)."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            found[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _cpu_figures(cpu: dict, requests: int) -> dict:
    cores = os.cpu_count() or 1
    return {"server_cpu_ms_per_request": round(cpu["server"] / max(1, requests) * 1000, 1),
            "machine_busy_percent": round(cpu["machine"] / (cores * cpu["elapsed"]) * 100),
            "loadavg_start": round(cpu["loadavg"][0], 2), "loadavg_end": round(cpu["loadavg"][1], 2)}
