"""Forms of sign-in, invitations, password change and password reset."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..forms.common import REQUIRED, BaseForm, email_field
from ..services.passwords import MAX_LENGTH, MIN_LENGTH


def _new_password(label: object) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(message=REQUIRED),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Use between %(min)d and %(max)d characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(BaseForm):
    email = email_field(_l("Email"), required=True)
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class SetPasswordForm(BaseForm):
    password = _new_password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(message=REQUIRED),
            EqualTo("password", message=_l("The passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(BaseForm):
    email = email_field(_l("Email"), required=True)


class LanguageForm(BaseForm):
    lang = StringField(validators=[InputRequired()])
    next = StringField()
