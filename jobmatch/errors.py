"""The exceptions jobmatch raises: one base class, specific subclasses with context."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class JobmatchError(Exception):
    """Base class of every error jobmatch raises on purpose."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a document: where it is, which record, what kind, and a sentence.

    Attributes:
        location: where in the document, as `youths[3].shifts[0].end` (or a file name).
        record_id: the id of the youth or opening concerned (a pair's youth), if any.
        code: what kind of problem, one of `ISSUE_CODES`, for a program to act on.
        message: an English sentence for a person.
    """

    location: str
    record_id: str | None
    code: str
    message: str

    @property
    def path(self) -> tuple[str | int, ...]:
        """The location as keys and list indices: `fixed[3]` is `("fixed", 3)`."""
        return tuple(int(index) if index else key for key, index in _STEP.findall(self.location))

    def __str__(self) -> str:
        record = f" (id {self.record_id!r})" if self.record_id is not None else ""
        return f"{self.location}{record}: {self.message}"


ISSUE_CODES: tuple[str, ...] = (
    "unreadable",  # the file is missing, cannot be read or is not JSON
    "not_text",  # bytes that are not UTF-8, or a lone surrogate in a string
    "too_deep",  # lists and objects nested deeper than the format needs
    "format",  # the `format` key is not jobmatch/1
    "unknown_key",
    "required",  # a key is missing, or a string is empty
    "wrong_type",  # e.g. a string where a whole number belongs
    "not_allowed",  # not one of the allowed values
    "out_of_range",
    "bad_date",
    "bad_time",
    "shift_order",  # a shift ends before it starts
    "overlap",  # two shifts of one opening overlap
    "duplicate",  # an id, a list item, a pair or a key of one object given twice
    "unknown_reference",  # names a youth or opening the document does not have
    "birth_date",  # a birth date without start_date, after it, or against `age`
    "self_buddy",
    "fixed_and_forbidden",
    "fixed_not_eligible",  # a fixed pair breaks a hard rule
    "not_eligible",  # a stored solution's assignment breaks a hard rule
    "unknown_youth",  # a command names a youth the problem does not have
)
"""Every `Issue.code`."""


class ProblemError(JobmatchError, ValueError):
    """A jobmatch/1 document (or a solution) breaks the format; lists every issue found."""

    def __init__(self, issues: Iterable[Issue], document: str = "the document") -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        count = len(self.issues)
        heading = f"{count} problem{'s' if count != 1 else ''} in {document}:"
        super().__init__("\n".join([heading, *(f"  - {issue}" for issue in self.issues)]))


class UnknownRulesError(JobmatchError, KeyError):
    """A problem names a rule table that jobmatch does not have."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(f"unknown rule table {name!r}; known tables: {', '.join(self.known)}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownMethodError(JobmatchError, ValueError):
    """`solve` was asked for a method it does not have."""

    def __init__(self, method: str, known: Iterable[str]) -> None:
        self.method = method
        self.known = tuple(known)
        super().__init__(f"unknown method {method!r}; known methods: {', '.join(self.known)}")


class SolverError(JobmatchError, RuntimeError):
    """OR-Tools failed in a way that says nothing about the problem itself."""


class MergeError(JobmatchError, ValueError):
    """`merge` was given solutions that are not of the problem's parts."""

    def __init__(self, youth: str, opening: str) -> None:
        super().__init__(
            f"a part's assignment {youth}/{opening} is not an eligible pair of the problem: "
            "merge the solutions of this problem's `split`, in its order"
        )
        self.youth = youth
        self.opening = opening
