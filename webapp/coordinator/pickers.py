"""The profile's two searchable choosers (friends, an opening to place in): their options and
the searches the page's script asks as JSON. A search term may be a name, so it travels in a
POST, never in a URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from webapp.ui import board_day

from ..forms.common import options
from ..models import Opening, Youth
from ..services import lookup, pickers
from ..ui.views import INVALID, or_404
from .blueprint import bp
from .forms import BuddiesForm, PickerSearchForm, PlaceForm


@dataclass(frozen=True)
class Option:
    """One choice of a chooser: the public id it posts, its label and a line to tell it apart."""

    id: str
    label: str
    detail: str


@dataclass(frozen=True)
class Chooser:
    """A searchable chooser on the profile: its search, the options offered, what was found."""

    search: PickerSearchForm
    options: list[Option]
    message: str = ""


def friend_option(youth: Youth, today: dt.date) -> Option:
    """A youth as a friend to choose: the name, with age and area to tell namesakes apart."""
    detail = _("%(age)d years", age=youth.age_on(today))
    if youth.area is not None:
        detail = f"{detail} · {youth.area.name}"
    return Option(youth.public_id, f"{youth.first_name} {youth.last_name}".strip(), detail)


def opening_option(opening: Opening) -> Option:
    """An opening to place in: the title, with the employer and the town."""
    where = " · ".join(part for part in (opening.employer.name, opening.town) if part)
    return Option(opening.public_id, opening.title, where)


def found_message(found: pickers.Found) -> str:
    """What a search found, in words: read out by screen readers as the results change."""
    if not found.rows:
        return _("Nothing found. Try another spelling or fewer words.")
    if found.more:
        return _("The first %(num)d found; type more to narrow them down.", num=len(found.rows))
    return ngettext("%(num)d found.", "%(num)d found.", len(found.rows))


def search_form(kind: str, *, posted: bool = True) -> PickerSearchForm:
    """The search of chooser `kind` ("friend" or "opening"): the request's, or a blank one."""
    if posted:
        return PickerSearchForm(prefix=kind)
    return PickerSearchForm(prefix=kind, formdata=None)


def friend_chooser(
    youth: Youth, form: BuddiesForm, search: PickerSearchForm, found: pickers.Found | None
) -> Chooser:
    """The friends to tick: those named and chosen, then those found; the form's choices too."""
    today = board_day.today()
    offered = offer_friends(youth, form, found.rows if found else [])
    message = found_message(found) if found else ""
    return Chooser(search, [friend_option(y, today) for y in offered], message)


def offer_friends(youth: Youth, form: BuddiesForm, found: list[Youth]) -> list[Youth]:
    """Set the form's choices: the youth's friends, those the form ticks, those found."""
    named = {b.public_id: b for b in youth.buddies}
    ticked = [i for i in form.buddies.data or [] if i not in named]
    offered = {**named, **{y.public_id: y for y in pickers.chosen_friends(youth, ticked)}}
    offered |= {y.public_id: y for y in found if y.public_id not in offered}
    form.buddies.choices = options((key, y.first_name) for key, y in offered.items())
    return list(offered.values())


def opening_chooser(
    form: PlaceForm, search: PickerSearchForm, found: pickers.Found | None
) -> Chooser:
    """The openings to choose from: the one the form names, then those found; the choices too."""
    offered = offer_openings(form, found.rows if found else [])
    message = found_message(found) if found else ""
    return Chooser(search, [opening_option(o) for o in offered], message)


def offer_openings(form: PlaceForm, found: list[Opening]) -> list[Opening]:
    """Set the form's choices: the open opening it names (if any), then those found."""
    chosen = pickers.open_opening(form.opening.data) if form.opening.data else None
    offered = {o.public_id: o for o in [chosen] if o is not None}
    offered |= {o.public_id: o for o in found if o.public_id not in offered}
    form.opening.choices = options((key, o.title) for key, o in offered.items())
    return list(offered.values())


def _answer(options: list[Option], found: pickers.Found) -> Response:
    response = jsonify(
        {
            "results": [asdict(o) for o in options],
            "more": found.more,
            "message": found_message(found),
        }
    )
    response.headers["Cache-Control"] = "no-store"  # names: kept by no cache on the way
    return response


def _refused(form: PickerSearchForm) -> tuple[Response, int]:
    errors = form.q.errors or [_("The search could not be read. Reload the page and try again.")]
    return jsonify({"results": [], "more": False, "message": " ".join(errors)}), INVALID


@bp.route("/youths/<public_id>/friends/search", methods=["POST"])
def youth_friend_search(public_id: str) -> Response | tuple[Response, int]:
    """Up to `PICKER_LIMIT` youths to name as friends, as JSON."""
    youth = or_404(pickers.youth_with_friends, public_id)
    form = search_form("friend")
    if not form.validate_on_submit():
        return _refused(form)
    found = pickers.friend_matches(youth, form.q.data or "")
    today = board_day.today()
    return _answer([friend_option(y, today) for y in found.rows], found)


@bp.route("/youths/<public_id>/openings/search", methods=["POST"])
def youth_opening_search(public_id: str) -> Response | tuple[Response, int]:
    """Up to `PICKER_LIMIT` open openings to place the youth in, as JSON."""
    or_404(lookup.by_public_id, Youth, public_id)
    form = search_form("opening")
    if not form.validate_on_submit():
        return _refused(form)
    found = pickers.opening_matches(form.q.data or "")
    return _answer([opening_option(o) for o in found.rows], found)
