"""The gateway's webhooks, trusted only when signed: a JWT in ``X-Gwapi-Signature``.

GatewayAPI signs each webhook with HS256 and the shared secret
(`SMS_WEBHOOK_SECRET`); the token's claims are the event itself, so the
board reads the event from the verified claims, never from the unsigned
body. Without a secret configured every webhook is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from ..errors import ServiceError

SIGNATURE_HEADER = "X-Gwapi-Signature"
MAX_TOKEN = 64_000  # a signed event of one long SMS in any script is far smaller
MAX_TEXT = 1_600  # ten concatenated SMS
MAX_ID_DIGITS = 20


class WebhookAuthError(ServiceError):
    """The webhook is not signed with the shared secret."""


class WebhookEventError(ServiceError):
    """A signed event without the fields it needs; names the field."""


def verified_claims(token: str | None, secret: str) -> Mapping[str, Any]:
    """The claims of the signature header's JWT, verified with `secret` (HS256 only).

    Raises:
        WebhookAuthError: no secret set, no token, or a token not signed with the secret.
    """
    if not secret:
        raise WebhookAuthError("SMS_WEBHOOK_SECRET is not set: webhooks are refused")
    if not token or len(token) > MAX_TOKEN:
        raise WebhookAuthError(f"the {SIGNATURE_HEADER} header is missing")
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_aud": False})
    except jwt.InvalidTokenError as exc:
        raise WebhookAuthError(f"the {SIGNATURE_HEADER} signature is not valid") from exc
    if not isinstance(claims, dict):
        raise WebhookAuthError(f"the {SIGNATURE_HEADER} signature holds no event")
    return claims


@dataclass(frozen=True)
class DeliveryReport:
    """What the gateway says became of one SMS."""

    gateway_id: str
    userref: str
    status: str
    code: str


@dataclass(frozen=True)
class IncomingEvent:
    """An SMS a phone sent to the board's number."""

    gateway_id: str
    sender: str  # E.164
    text: str


def delivery_report(claims: Mapping[str, Any]) -> DeliveryReport:
    """The report in a verified event.

    Raises:
        WebhookEventError: a field is missing or not what it should be.
    """
    return DeliveryReport(
        gateway_id=_digits(claims, "id"),
        userref=_digits(claims, "userref"),
        status=_text(claims, "status", 40).upper(),
        code=str(claims.get("code") or "")[:40],
    )


def incoming(claims: Mapping[str, Any]) -> IncomingEvent:
    """The incoming SMS in a verified event.

    Raises:
        WebhookEventError: a field is missing or not what it should be.
    """
    return IncomingEvent(
        gateway_id=_digits(claims, "id"),
        sender="+" + _digits(claims, "msisdn"),
        text=_text(claims, "message", MAX_TEXT, empty=True),
    )


def _digits(claims: Mapping[str, Any], field: str) -> str:
    value = claims.get(field)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise WebhookEventError(f"{field}: must be a number")
    text = str(value).strip()
    if not text.isascii() or not text.isdecimal() or len(text) > MAX_ID_DIGITS:
        raise WebhookEventError(f"{field}: must be a number of at most {MAX_ID_DIGITS} digits")
    return text


def _text(claims: Mapping[str, Any], field: str, limit: int, *, empty: bool = False) -> str:
    value = claims.get(field, "" if empty else None)
    if not isinstance(value, str):
        raise WebhookEventError(f"{field}: must be text")
    cleaned = "".join(c for c in value if c.isprintable() or c in "\n\t").strip()
    if not cleaned and not empty:
        raise WebhookEventError(f"{field}: must not be empty")
    return cleaned[:limit]
