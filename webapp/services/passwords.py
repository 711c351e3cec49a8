"""Which passwords an account may have: long enough, not common, not its own email.

"Common" is what zxcvbn (Dropbox's estimator, with its lists of the most used
passwords, words and names, and its patterns: repeats, sequences, keyboard
rows, dates) guesses in few tries; the account's email, the part before its
@ and its name count as words an attacker knows.
"""

from __future__ import annotations

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from .errors import InvalidStateError

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's scale: 3 is "safely unguessable" against an attacker online, and beyond what a
# stolen Argon2 hash gives up quickly; 0-2 are the common passwords and the simple patterns.
MIN_SCORE = 3
_ESTIMATED = 72  # zxcvbn reads no more (and needs no more: a longer password is long enough)
_OWN_WORD = 4  # an email's local part or a name this long is not to be found in the password


def _letters(text: str) -> str:
    """The letters of `text` in one case: "Other-Counsellor" and "othercounsellor1" meet."""
    return "".join(c for c in text.casefold() if c.isalpha())


def password_problem(password: str, *, email: str, name: str = "") -> str | None:
    """Why `password` will not do for the account of `email` (and `name`), or None.

    Refused: fewer than `MIN_LENGTH` or more than `MAX_LENGTH` characters; the
    email itself or the part before its @ (in any case, with surrounding
    spaces); a password whose letters hold those of the local part or of the
    name; anything zxcvbn scores below `MIN_SCORE` with the email, its local
    part and the name as known words.
    """
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return _("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH)
    local_part = email.rpartition("@")[0]
    if password.strip().casefold() in {email.strip().casefold(), local_part.strip().casefold()}:
        return _("The password must not be your email address or the part before its @.")
    known = [word for word in (email, local_part, name, *name.split()) if word]
    own = [word for word in (_letters(local_part), _letters(name)) if len(word) >= _OWN_WORD]
    if (
        any(word in _letters(password) for word in own)
        or zxcvbn(password[:_ESTIMATED], user_inputs=known)["score"] < MIN_SCORE
    ):
        return _(
            "This password is too easy to guess: it is a common one, or a pattern such as "
            "repeated letters, a sequence or your own name. Try a few words of your own."
        )
    return None


def check_password(password: str, *, email: str, name: str = "", field: str = "password") -> None:
    """Refuse a password that `password_problem` finds a problem with.

    Raises:
        InvalidStateError: the problem, for `field`.
    """
    if (problem := password_problem(password, email=email, name=name)) is not None:
        raise InvalidStateError(problem, field=field)
