"""SMS through the outbox: queue in the caller's transaction, the worker sends.

The channel API (for other services):

- `queue_sms(session, number, template, *, once_per=None, topic=None,
  quiet_at_night=False, locale="da", **context) -> bool`: one SMS rendered from
  `templates/sms/<template>.txt` into the outbox; `topic` names what a JA/NEJ
  answer to it answers (``proposal:<id>``, ``first_day:<placement id>``,
  ``consent:<ref>``).
- `contacts.number_for(youth, role)`: the youth's or the parent's number in
  E.164 when that contact opted in and has not sent STOP, else None.
- The messages themselves are in `services.notifications` (`queue_*_sms`),
  among them `queue_consent_request_sms(youth, *, ref, first_name, employer)`
  for the parent's consent.

An answer JA/NEJ to an SMS with topic ``consent:<ref>`` is passed to
`services.consent.answer_by_sms(ref, agrees=..., youth=...)` when that
function exists (`services.sms.incoming`).

Backends: `gatewayapi.GatewayApiBackend` (GatewayAPI's REST API over httpx)
and `files.FileBackend` (a .txt per SMS under instance/outbox, for `make
run`), chosen by the settings in `settings`.
"""

from .base import OutgoingSms, SmsBackend, SmsError, SmsRejectedError, SmsSettingsError
from .queue import SmsTooLongError, queue_sms, render

__all__ = [
    "OutgoingSms",
    "SmsBackend",
    "SmsError",
    "SmsRejectedError",
    "SmsSettingsError",
    "SmsTooLongError",
    "queue_sms",
    "render",
]
