"""The kinds of onboarding step every youth's checklist holds."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..services import onboarding
from ..services.errors import InvalidStateError
from ..ui.views import form_page, show_error
from .blueprint import bp
from .forms import StepKindForm


@bp.route("/onboarding-steps", methods=["GET", "POST"])
def step_kinds() -> str | Response | tuple[str, int]:
    form = StepKindForm()
    if form.validate_on_submit():
        try:
            onboarding.add_step_kind(
                code=form.code.data or "",
                name_da=form.name_da.data or "",
                name_en=form.name_en.data or "",
                description_da=form.description_da.data or "",
                for_fritidsjob=bool(form.for_fritidsjob.data),
                for_lommepengejob=bool(form.for_lommepengejob.data),
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The step is added to every checklist."), "success")
            return redirect(url_for("coordinator.step_kinds"))
    return form_page("coordinator/step_kinds.html", form=form, kinds=onboarding.step_kinds())
