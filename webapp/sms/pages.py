"""The coordinators' SMS pages: the inbox of SMS that came in, and a youth's SMS contacts."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import BooleanField

from ..auth.sessions import require_role
from ..forms.common import BaseForm
from ..models import ContactRole, Role, Youth
from ..services import youths as youth_service
from ..services.phones import for_display
from ..services.sms import contacts
from ..services.sms.inbox import inbox_page
from ..ui.paging import requested_page
from ..ui.views import form_action, or_404

bp = Blueprint("sms", __name__, url_prefix="/coordinator/sms")
bp.before_request(require_role(Role.COORDINATOR))


class ContactsForm(BaseForm):
    """Whether the youth and the parent get SMS: tick only when they said yes."""

    youth_sms = BooleanField(_l("The youth wants SMS from the board"))
    parent_sms = BooleanField(_l("The parent wants SMS from the board"))


@bp.route("/inbox")
def inbox() -> str:
    return render_template(
        "sms_pages/inbox.html",
        page=inbox_page(page=requested_page(), per_page=current_app.config["PAGE_SIZE"]),
        for_display=for_display,
    )


def _contacts_page(youth: Youth, form: ContactsForm) -> tuple[str, int]:
    rows = {role: contacts.contact_for(youth, role) for role in ContactRole}
    status = 400 if any(field.errors for field in form) else 200
    return (
        render_template(
            "sms_pages/contacts.html",
            youth=youth,
            form=form,
            rows=rows,
            phones={role: contacts.phone_of(youth, role) for role in ContactRole},
            for_display=for_display,
        ),
        status,
    )


@bp.route("/youths/<public_id>", methods=["GET", "POST"])
def youth_contacts(public_id: str) -> Response | tuple[str, int]:
    """See and change whether the youth and the parent get SMS."""
    youth = or_404(youth_service.get_youth, public_id)
    form = ContactsForm()
    if not form.is_submitted():
        for role in ContactRole:
            row = contacts.contact_for(youth, role)
            form[f"{role}_sms"].data = bool(row and row.opted_in)
    return form_action(
        form,
        lambda: _contacts_page(youth, form),
        lambda: contacts.save_choices(
            youth, youth_sms=bool(form.youth_sms.data), parent_sms=bool(form.parent_sms.data)
        ),
        str(_l("Saved who gets SMS.")),
        url_for("sms.youth_contacts", public_id=youth.public_id),
        beside=True,
    )
