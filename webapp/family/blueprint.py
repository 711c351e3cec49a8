"""The family blueprint: public routes whose pages show a child's data, so never cached."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

bp = Blueprint("family", __name__)


@bp.after_request
def _never_cached(response: Response) -> Response:
    """A phone shared in a family must not show the page again from its cache."""
    response.headers["Cache-Control"] = "no-store"
    return response
