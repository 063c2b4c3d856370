"""Errors of the policy engine: load-time problems name the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where it is (file, line, field) and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class PackError(Exception):
    """A pack (or several) failed validation; `problems` lists every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ExpressionError(Exception):
    """A rule expression does not parse or does not type-check; `offset` is the character it points at."""

    def __init__(self, message: str, offset: int | None = None, *, secondary: bool = False):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.secondary = secondary  # caused by a problem reported elsewhere (a parameter that failed to load)

    def render(self, source: str) -> str:
        if self.offset is None:
            return self.message
        return f"{self.message} — 位置 at {self.offset}: {source[:self.offset]}⟦{source[self.offset:]}⟧"


class InputError(Exception):
    """A household record that cannot be read (wrong type, bad date); reported per household."""
