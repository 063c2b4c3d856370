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

With `--concurrency C --duration S` it also starts the production server (gunicorn, several workers,
the same database) on a loopback port and runs C simulated users for S seconds, each opening the
county battle map or a household page every 2 seconds; `extra.load` reports requests, errors and the
percentiles. Use a scratch database: the run leaves its audit events (the rows it wrote are deleted).
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


def _user():
    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_assign, user_create
    from fupin.areas.selectors import area_get

    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = user_create(actor=None, username=BENCH_USER, password=f"Bench@{random.randrange(10**9)}x")
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
                 "refresh_seconds": round(refresh_seconds, 3), "incremental_refresh_seconds": round(incremental_seconds, 3),
                 "incremental_villages": incremental.villages_recomputed,
                 "p50_ms": round(_percentile(ours, 50) * 1000, 1), "p95_ms": round(_percentile(ours, 95) * 1000, 1),
                 "on_the_fly_p95_ms": round(_percentile(baseline, 95) * 1000, 1), "requests": len(ours),
                 "page_p50_ms": round(_percentile(page, 50) * 1000, 1),
                 "page_p95_ms": round(_percentile(page, 95) * 1000, 1)}
        if concurrency:
            extra["load"] = _load(user, year=year, users=concurrency, seconds=duration or 60)
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


def _load(user, *, year: int, users: int, seconds: int) -> dict:
    """`users` threads, each signed in with its own session (as real users are: one shared session row
    would serialise every request on its update), opening the county battle map or a household page
    every 2 seconds."""
    cookies = []
    for _ in range(users):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    households = list(Household.objects.filter(year=year).values_list("pk", flat=True)[:5000])
    port = _free_port()
    server = _gunicorn(port, workers=max(2, (os.cpu_count() or 2) * 2 + 1))
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def user(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        time.sleep(rng.random() * 2)  # users arrive spread over the first interval
        while time.time() < stop_at:
            began = time.time()
            path = (f"/progress/map/{COUNTY}000000/?year={year}" if rng.random() < 0.5
                    else f"/registry/households/{rng.choice(households)}/")
            try:
                start = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookies[n], "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if response.status != 200:
                        errors.append(f"{response.status} {path}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__} {path}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            time.sleep(max(0.0, 2 - (time.time() - began)))
        conn.close()

    try:
        threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers still draining a backlog: the figures are already taken
            server.kill()
            server.wait()
    return {"users": users, "seconds": seconds, "requests": len(latencies), "errors": len(errors),
            "error_samples": errors[:5],
            "p50_ms": round(_percentile(latencies, 50) * 1000, 1) if latencies else None,
            "p99_ms": round(_percentile(latencies, 99) * 1000, 1) if latencies else None,
            "max_ms": round(max(latencies) * 1000, 1) if latencies else None}
