"""What a URL may carry: ids the database can hold, printable text, redirects of sane length."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError
from werkzeug.wrappers import Response

from .forms.common import unprintable

DATABASE_INT_MAX = 2**31 - 1  # the largest id a 32-bit INTEGER column holds
MAX_PATH_PART = 500  # no public id or token is near this long
MAX_REDIRECT_LENGTH = 2000  # a longer Location is cut back to its path


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in a route: a database id, 1 to 2^31 - 1; anything else does not match (404)."""

    def __init__(self, map: Map, *args: int | bool, **kwargs: int | bool) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


class PrintableConverter(UnicodeConverter):
    """A path part (a public id, a token): printable and short, or the route does not match."""

    def to_python(self, value: str) -> str:
        if len(value) > MAX_PATH_PART or unprintable(value):
            raise ValidationError()
        return value


def install_converters(app: Flask) -> None:
    """Use the converters above for `<int:...>` and for plain `<name>` path parts.

    Call before the blueprints are registered: a rule takes its converters when added.
    """
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters["default"] = PrintableConverter
    app.url_map.converters["string"] = PrintableConverter


def _refuse_unprintable_query() -> None:
    """A query string with control characters is a bad request, not a filter to search for."""
    for key, values in request.args.lists():
        if unprintable(key) or any(unprintable(value) for value in values):
            abort(400)


def _cap_redirect(response: Response) -> Response:
    """A redirect never carries a huge URL (a long filter or `next`): cut it back to its path."""
    location = response.location
    if location and len(location) > MAX_REDIRECT_LENGTH:
        path = urlsplit(location).path
        response.location = path if len(path) <= MAX_REDIRECT_LENGTH else "/"
    return response


def install_guards(app: Flask) -> None:
    """Refuse unprintable query strings and cap the length of every redirect."""
    app.before_request(_refuse_unprintable_query)
    app.after_request(_cap_redirect)
