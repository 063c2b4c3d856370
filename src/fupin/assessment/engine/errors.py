"""Problems with a scheme file or with the findings given to score: every one named, all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # e.g. "subjects[0].findings.25" or "parts[2].indicators[1].clauses[0].per"
    message: str  # for people, in Chinese

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class AssessmentError(Exception):
    def __init__(self, problems: list[Problem], *, source: str = ""):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "；".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


class SchemeError(AssessmentError):
    """A scheme data file that does not hold together (a bug in shipped data, or a bad new version)."""


class InputError(AssessmentError):
    """Findings that cannot be scored: unknown indicator, negative count, a percentage above 100 ..."""


class UnknownScheme(AssessmentError):
    pass
