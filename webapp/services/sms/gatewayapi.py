"""GatewayAPI's REST API (gatewayapi.com, a Danish SMS gateway) over httpx.

One JSON POST to ``<SMS_GATEWAY_URL>/rest/mtsms`` per message with
``message``, ``recipients: [{msisdn}]`` (digits with the country code, no
``+``), ``sender`` (at most 11 characters) and our ``userref``, authorised by
``Authorization: Token <SMS_GATEWAY_TOKEN>``. The answer's ``ids[0]`` is the
gateway's id of the message, which its delivery report names again.
"""

from __future__ import annotations

from typing import Any

import httpx

from .base import OutgoingSms, SmsError, SmsRejectedError, SmsSettingsError

DEFAULT_URL = "https://gatewayapi.com"
MAX_SENDER = 11  # an alphanumeric sender name, as operators allow it


class GatewayApiBackend:
    """Sends through GatewayAPI; every failure is an `SmsError` naming only its status."""

    def __init__(self, *, url: str, token: str, sender: str, timeout_s: float = 10.0) -> None:
        if not token:
            raise SmsSettingsError("SMS_GATEWAY_TOKEN is not set")
        if not 1 <= len(sender) <= MAX_SENDER:
            raise SmsSettingsError(
                f"SMS_SENDER must be 1 to {MAX_SENDER} characters, got {sender!r}"
            )
        self.url = url.rstrip("/") + "/rest/mtsms"
        self.token = token
        self.sender = sender
        self.timeout_s = timeout_s

    def send(self, sms: OutgoingSms) -> str:
        """POST the message; return the gateway's id."""
        body = {
            "sender": self.sender,
            "message": sms.text,
            "recipients": [{"msisdn": int(sms.to.removeprefix("+"))}],
            "userref": sms.userref,
        }
        try:
            response = httpx.post(
                self.url,
                json=body,
                headers={"Authorization": f"Token {self.token}"},
                timeout=self.timeout_s,
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"the SMS gateway did not answer ({type(exc).__name__})") from exc
        if response.status_code in (400, 403, 422):
            raise SmsRejectedError(f"the SMS gateway refused the message ({_reason(response)})")
        if response.status_code != 200:
            raise SmsError(f"the SMS gateway answered {response.status_code}")
        return _message_id(response)


def _reason(response: httpx.Response) -> str:
    """The gateway's error code and status, never the message or the number."""
    try:
        code = response.json().get("code", "")
    except (ValueError, AttributeError):
        code = ""
    return f"{response.status_code} {code}".strip()


def _message_id(response: httpx.Response) -> str:
    try:
        answer: Any = response.json()
        return str(answer["ids"][0])
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise SmsError("the SMS gateway's answer had no message id") from exc
