"""The library's load and solve around a stored document, with errors a coordinator can read.

A document that does not load, or whose fixed pairs cannot all hold together,
becomes a `ProblemBuildError` whose message names youths by first name and
jobs by title (never their ids).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

import jobmatch

from ..extensions import db
from ..models import ACTIVE_PLACEMENTS, Opening, Placement, Youth
from .errors import ServiceError
from .explanations import rule_names

AnySession = Session | scoped_session[Any]


@dataclass(frozen=True)
class PairIssue:
    """A fixed or pinned pair that breaks a rule: who, which job, which reason codes."""

    youth_first_name: str
    opening_title: str
    codes: tuple[str, ...]
    running: bool


class ProblemBuildError(ServiceError):
    """The matching data cannot be solved as it stands; the message is translated.

    `issues` names each fixed or pinned pair that breaks a rule, when that is
    the cause.
    """

    def __init__(self, message: str, *, issues: Sequence[PairIssue] = ()) -> None:
        super().__init__(message)
        self.issues = tuple(issues)


def load_problem(
    document: Mapping[str, Any], *, session: AnySession | None = None
) -> jobmatch.Problem:
    """Validate a document with `jobmatch.load`.

    Raises:
        ProblemBuildError: the document does not load; when a fixed or pinned
            pair breaks a rule, the message names the youth (first name), the
            job (title) and the rules, for the coordinator.
    """
    try:
        return jobmatch.load(document)
    except jobmatch.ProblemError as error:
        raise _load_error(session or db.session, document, error) from error


def solve_problem(
    document: Mapping[str, Any], *, session: AnySession | None = None
) -> jobmatch.Solution:
    """Load and solve a document with its own options.

    Returns:
        The solution (status ``optimal`` or ``feasible``).

    Raises:
        ProblemBuildError: the document does not load (see `load_problem`), or
            its fixed pairs cannot all hold together (positions, jobs, hours).
    """
    problem = load_problem(document, session=session)
    return refuse_infeasible(document, jobmatch.solve(problem), session=session)


def refuse_infeasible(
    document: Mapping[str, Any], solution: jobmatch.Solution, *, session: AnySession | None = None
) -> jobmatch.Solution:
    """The solution of `document`, unless its fixed pairs could not all hold.

    Raises:
        ProblemBuildError: status ``infeasible``; the message names the youths
            and jobs of the pairs that clash.
    """
    if solution.status is not jobmatch.Status.INFEASIBLE:
        return solution
    found = solution.stats.get("infeasible")
    reasons = [str(r) for r in found] if isinstance(found, list) else []
    names = _names(session or db.session, document)
    raise ProblemBuildError(
        _(
            "The confirmed jobs cannot all be kept together: %(details)s",
            details="; ".join(_replace_ids(r, names) for r in reasons),
        )
    )


def names_of(session: AnySession, youths: set[str], openings: set[str]) -> dict[str, str]:
    """Public id -> a youth's first name or an opening's title."""
    names: dict[str, str] = {}
    for ident, name, wanted in (
        (Youth.public_id, Youth.first_name, youths),
        (Opening.public_id, Opening.title, openings),
    ):
        if wanted:
            names.update(session.execute(select(ident, name).where(ident.in_(wanted))).all())
    return names


def _names(session: AnySession, document: Mapping[str, Any]) -> dict[str, str]:
    """Names of the records in the document's fixed pairs."""
    pairs = [p for p in document.get("fixed", []) if isinstance(p, Mapping)]
    return names_of(
        session, {str(p.get("youth")) for p in pairs}, {str(p.get("opening")) for p in pairs}
    )


def _replace_ids(text: str, names: Mapping[str, str]) -> str:
    for ident, name in names.items():
        text = text.replace(ident, name)
    return text


def _load_error(
    session: AnySession, document: Mapping[str, Any], error: jobmatch.ProblemError
) -> ProblemBuildError:
    """The error to show: the fixed or pinned pairs that break a rule, else the issues."""
    fixed = list(document.get("fixed", []))
    bad = sorted({i for issue in error.issues if (i := _broken_fixed_pair(issue)) is not None})
    if bad and len(bad) == len(error.issues):
        try:
            problem = jobmatch.load({**document, "fixed": []})
        except jobmatch.ProblemError:
            problem = None
        if problem is not None:
            issues = _pair_issues(session, problem, [fixed[i] for i in bad])
            return ProblemBuildError(
                " ".join(_pair_issue_text(issue) for issue in issues), issues=issues
            )
    return ProblemBuildError(
        _("The matching data is not valid: %(details)s", details="; ".join(map(str, error.issues)))
    )


def _broken_fixed_pair(issue: jobmatch.Issue) -> int | None:
    """The index in `fixed` of the pair an issue says breaks a rule, else None."""
    match issue.path:
        case ("fixed", int(index)) if issue.code == "fixed_not_eligible":
            return index
    return None


def _pair_issues(
    session: AnySession, problem: jobmatch.Problem, pairs: list[Mapping[str, str]]
) -> list[PairIssue]:
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    names = names_of(session, {p["youth"] for p in pairs}, {p["opening"] for p in pairs})
    running = {
        (youth, opening)
        for youth, opening in session.execute(
            select(Youth.public_id, Opening.public_id)
            .join(Placement, Placement.youth_id == Youth.id)
            .join(Opening, Opening.id == Placement.opening_id)
            .where(
                Placement.status.in_(ACTIVE_PLACEMENTS),
                Youth.public_id.in_({p["youth"] for p in pairs}),
            )
        )
    }
    return [
        PairIssue(
            names.get(p["youth"], "?"),
            names.get(p["opening"], "?"),
            tuple(jobmatch.reasons_for(problem, youths[p["youth"]], openings[p["opening"]])),
            (p["youth"], p["opening"]) in running,
        )
        for p in pairs
    ]


def _pair_issue_text(issue: PairIssue) -> str:
    values = {
        "youth": issue.youth_first_name,
        "opening": issue.opening_title,
        "rules": rule_names(issue.codes),
    }
    if issue.running:
        return str(_("%(youth)s can no longer keep the job %(opening)s: %(rules)s.", **values))
    return str(_("%(youth)s cannot be pinned to %(opening)s: %(rules)s.", **values))
