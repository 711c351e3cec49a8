"""The exceptions jobmatch raises: one base class, specific subclasses with context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class JobmatchError(Exception):
    """Base class of every error jobmatch raises on purpose."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a document: where it is, which record, and what is wrong."""

    location: str
    message: str
    record: str | None = None

    def __str__(self) -> str:
        record = f" (id {self.record!r})" if self.record is not None else ""
        return f"{self.location}{record}: {self.message}"


class ProblemError(JobmatchError, ValueError):
    """A jobmatch/1 document (or a solution) breaks the format; lists every issue found."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        count = len(self.issues)
        heading = f"{count} problem{'s' if count != 1 else ''} in the document:"
        super().__init__("\n".join([heading, *(f"  - {issue}" for issue in self.issues)]))


class UnknownRulesError(JobmatchError, KeyError):
    """A problem names a rule table that jobmatch does not have."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(f"unknown rule table {name!r}; known tables: {', '.join(self.known)}")

    def __str__(self) -> str:
        return str(self.args[0])


class SolverError(JobmatchError, RuntimeError):
    """OR-Tools failed in a way that says nothing about the problem itself."""
