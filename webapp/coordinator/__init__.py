"""The coordinator's pages: one module per feature, all on the `coordinator` blueprint.

Importing a feature module registers its routes on `blueprint.bp`. The
matching pages (`matching.py`) are a blueprint of their own beside them.
"""

from . import (
    consents,
    employers,
    openings,
    overview,
    pickers,
    registrations,
    step_kinds,
    users,
    youth_profile,
    youths,
)
from .blueprint import bp

FEATURES = (
    overview,
    youths,
    youth_profile,
    pickers,
    registrations,
    employers,
    openings,
    users,
    step_kinds,
    consents,
)

__all__ = ["FEATURES", "bp"]
