"""The parent's consent page, reached by the signed link in an email: no account, no cookie.

GET shows the job, the rules that protect the child and the two buttons; POST records the
answer once and comes back to the link, which then thanks the parent. A link that was
replaced or has expired says so (410); one the board never signed is not found (404).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import force_locale
from werkzeug.wrappers import Response

from webapp.ui import board_day

from ..models import ConsentRequest
from ..services import consent as consent_service
from ..services import minor_rules
from ..services.errors import AlreadyDoneError, InvalidStateError, NotFoundError
from ..services.youth_page import workplace_address
from ..ui.views import INVALID, show_error
from .blueprint import bp
from .forms import ConsentForm
from .youth_session import language_for

GONE = 410


@bp.route("/consent/<token>", methods=["GET", "POST"])
def consent(token: str) -> str | Response | tuple[str, int]:
    try:
        asked = consent_service.request_for_token(token)
    except NotFoundError:
        abort(404)
    with force_locale(language_for(asked.youth.parent_language)):
        state = consent_service.state_of(asked)
        if state == consent_service.LinkState.ANSWERED:
            return render_template("family/consent_closed.html", state=state)
        if state != consent_service.LinkState.OPEN:
            return render_template("family/consent_closed.html", state=state), GONE
        form = ConsentForm()
        if not form.validate_on_submit():
            return _page(asked, form, invalid=form.is_submitted())
        given = form.answer()
        if given is None:
            return _page(asked, form, invalid=True)
        try:
            consent_service.answer(asked, consent=given, note=form.note.data or "")
        except AlreadyDoneError:
            pass
        except InvalidStateError as error:
            show_error(form, error)
            return _page(asked, form, invalid=True)
        return redirect(url_for("family.consent", token=token))


def _page(asked: ConsentRequest, form: ConsentForm, *, invalid: bool) -> str | tuple[str, int]:
    """The question: the job, the rules that protect the child, the two buttons."""
    placement = asked.placement
    opening = placement.opening
    page = render_template(
        "family/consent.html",
        form=form,
        first_name=asked.youth.first_name,
        job=opening,
        address=workplace_address(opening),
        first_day=placement.start_date,
        rules=minor_rules.rules_for(
            asked.youth, opening, placement.start_date or board_day.today()
        ),
        expires_at=asked.expires_at,
    )
    return (page, INVALID) if invalid else page
