"""Helpers for the engine tests: small schemes written inline, scored in one call."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

from fupin.assessment.engine import build, read_file, score_run, shipped_catalogue

HEAD = """
id = "test-scheme"
version = 1
title = "测试方案"
issuer = "测试"
year = 2020
jurisdiction = "210922"
subject = "team"
cite = [{ seed = "000", quote = "测试引文足够长" }]
"""


def scheme_from(tmp_path: Path, body: str, *, options: dict | None = None, head: str = HEAD):
    path = tmp_path / "scheme.toml"
    path.write_text(textwrap.dedent(head) + textwrap.dedent(body), encoding="utf-8")
    sf = read_file(path)
    chosen = {**{n: o.default for n, o in sf.options.items()}, **(options or {})}
    return build(sf, chosen)


def shipped(scheme_id: str, **options):
    return shipped_catalogue().scheme(scheme_id, options=options or None)


def run(scheme, *subjects):
    return score_run(scheme, {"subjects": list(subjects)})


def one(scheme, findings=None, **extra):
    """Score a single subject and return its result."""
    return run(scheme, {"id": "s", "name": "对象", "findings": findings or {}, **extra}).subject("s")


def dec(value) -> Decimal:
    return Decimal(str(value))
