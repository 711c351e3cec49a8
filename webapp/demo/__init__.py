"""Fictional demo data: two housing areas in Ikast, their youths, local employers and jobs.

Every person and business is invented. The world is written in the TOML files
of `data/` (one file per kind, each explained at its top) for anyone to read and
change; `loader` checks them and names the file, record and field of a mistake.
What the files leave open is drawn from a fixed seed, so that seeding gives the
same world each time. Dates are relative to the day of seeding, so that ages
stay within 13-17 and the timelines look recent.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import delete, func, select

from webapp.ui import board_day

from ..extensions import db
from ..models import OnboardingStepKind, Role, User
from ..services import accounts, onboarding, seats
from .board import seed_board
from .loader import DATA, DemoDataError, load, require_accounts
from .youths import seed_counselling, seed_placements, seed_youths

__all__ = ["DATA", "DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoDataError", "is_empty", "seed"]

DEMO_PASSWORD = "jobmatch-demo"
# The accounts `flask demo-accounts` shows, one of each role (accounts.toml has more).
DEMO_ACCOUNTS = (
    ("coordinator@example.org", Role.COORDINATOR),
    ("employer@example.org", Role.EMPLOYER),
    ("counsellor@example.org", Role.COUNSELLOR),
)
SEED = 2026


def is_empty() -> bool:
    """Whether the database has no accounts yet."""
    return (db.session.scalar(select(func.count()).select_from(User)) or 0) == 0


def _undo() -> None:
    """Remove what a failed seed made (the services it calls commit as they go).

    The database was empty of everything but the standard onboarding steps.
    """
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table.name != OnboardingStepKind.__tablename__:
            db.session.execute(delete(table))
    db.session.commit()


def seed(today: dt.date | None = None, *, folder: Path = DATA) -> dict[str, int]:
    """Fill an empty database with the world of the data files in `folder`.

    Returns counts of what was made.

    Raises:
        DemoDataError: a data file is wrong, or a placement of it is one the guard
            refuses, or the database is not empty (nothing is written then).
    """
    today = today or board_day.today()
    world = load(folder)
    require_accounts(world, DEMO_ACCOUNTS)
    if not is_empty():
        raise DemoDataError("the database is not empty: the demo is seeded into an empty one")
    rng = random.Random(SEED)
    onboarding.ensure_standard_step_kinds()
    try:
        board = seed_board(world, rng, today, accounts.hash_password(DEMO_PASSWORD))
        youths = seed_youths(world, board, onboarding.step_kinds(), rng, today)
        placements = seed_placements(world, board, youths, rng, today)
    except DemoDataError:
        _undo()
        raise
    seed_counselling(world, youths, rng, today)
    db.session.flush()
    seats.recount()  # the placements above hold their openings' positions
    db.session.commit()
    return {
        "areas": len(board.areas),
        "employers": len(board.employers),
        "openings": len(board.openings),
        "youths": len(youths),
        "placements": placements,
    }
