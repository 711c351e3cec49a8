"""Sign-in, sign-out, invitations, password resets and the roles that guard every route.

Importing `reset` registers its routes on the `auth` blueprint of `views`.
"""

from . import reset, views

__all__ = ["reset", "views"]
