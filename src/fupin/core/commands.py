"""Base for `fupin` commands: --json output, progress on stderr only when it is a terminal."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand


class FupinCommand(BaseCommand):
    def add_json_flag(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="machine-readable JSON on stdout / 以JSON输出")

    def emit(self, payload: Any, options: dict, *, text: str = "") -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(payload, ensure_ascii=False, default=str))
        else:
            self.stdout.write(text or json.dumps(payload, ensure_ascii=False, indent=2, default=str))

    def progress(self, label: str):
        """A callback (done, total) drawing a bar on stderr, or None when stderr is not a terminal."""
        if not sys.stderr.isatty():
            return None

        def draw(done: int, total: int) -> None:
            width = 30
            filled = int(width * done / max(total, 1))
            sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return draw
