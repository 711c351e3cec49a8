"""The coordinator's blueprint: every route on it requires the coordinator role."""

from __future__ import annotations

from flask import Blueprint

from ..auth.sessions import require_role
from ..models import Role

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")
bp.before_request(require_role(Role.COORDINATOR))
