"""Pages for youths and parents, who have no staff account: a parent's consent link and a
youth's own page, signed in with a one-time code.

Importing the package registers the routes of both on `blueprint.bp`.
"""

from . import consent_views, youth_views
from .blueprint import bp

__all__ = ["bp", "consent_views", "youth_views"]
