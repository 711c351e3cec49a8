"""The SMS settings and the backend they name.

`SMS_BACKEND`: ``gatewayapi`` or ``file`` (default: ``file`` while mail is
written to files, `MAIL_FILE_DIR`, else ``gatewayapi``); `SMS_GATEWAY_URL`
(GatewayAPI's address), `SMS_GATEWAY_TOKEN` (its API token), `SMS_SENDER`
(the sender name, at most 11 characters), `SMS_WEBHOOK_SECRET` (the shared
secret the gateway signs its webhooks with), `SMS_TIMEOUT_S` (10).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import SmsBackend, SmsSettingsError
from .files import FileBackend
from .gatewayapi import DEFAULT_URL, MAX_SENDER, GatewayApiBackend

BACKENDS = ("gatewayapi", "file")
# Read from the environment too (webapp/__init__.py).
SETTINGS = (
    "SMS_BACKEND",
    "SMS_GATEWAY_URL",
    "SMS_GATEWAY_TOKEN",
    "SMS_SENDER",
    "SMS_WEBHOOK_SECRET",
    "SMS_TIMEOUT_S",
)
DEFAULT_SENDER = "Jobtavlen"
MIN_SECRET_BYTES = 32  # HS256's key: shorter is guessable (RFC 7518, 3.2)


def backend_name(config: Mapping[str, Any]) -> str:
    """The backend the settings name, with the default for an unset `SMS_BACKEND`."""
    return str(
        config.get("SMS_BACKEND") or ("file" if config.get("MAIL_FILE_DIR") else "gatewayapi")
    )


def from_config(config: Mapping[str, Any]) -> SmsBackend:
    """The backend the settings name.

    Raises:
        SmsSettingsError: the settings name no backend, or one without its token or sender.
    """
    name = backend_name(config)
    if name == "file":
        return FileBackend(str(config.get("MAIL_FILE_DIR") or "instance/outbox"))
    if name == "gatewayapi":
        return GatewayApiBackend(
            url=str(config.get("SMS_GATEWAY_URL") or DEFAULT_URL),
            token=str(config.get("SMS_GATEWAY_TOKEN") or ""),
            sender=str(config.get("SMS_SENDER") or DEFAULT_SENDER),
            timeout_s=float(config.get("SMS_TIMEOUT_S") or 10.0),
        )
    raise SmsSettingsError(f"SMS_BACKEND must be one of {', '.join(BACKENDS)}, got {name!r}")


def settings_problem(config: Mapping[str, Any]) -> str | None:
    """What is wrong with the SMS settings, for the board to refuse to start; or None."""
    name = backend_name(config)
    if name not in BACKENDS:
        return f"SMS_BACKEND must be one of {', '.join(BACKENDS)}, got {name!r}"
    sender = str(config.get("SMS_SENDER") or DEFAULT_SENDER)
    if len(sender) > MAX_SENDER:
        return f"SMS_SENDER must be at most {MAX_SENDER} characters, got {len(sender)}"
    secret = str(config.get("SMS_WEBHOOK_SECRET") or "")
    if secret and len(secret.encode()) < MIN_SECRET_BYTES:
        return f"SMS_WEBHOOK_SECRET must be at least {MIN_SECRET_BYTES} bytes (HS256)"
    if config.get("PRODUCTION") and enabled(config) and not secret:
        return "SMS_WEBHOOK_SECRET is not set: the gateway's reports and answers cannot be trusted"
    return None


def enabled(config: Mapping[str, Any]) -> bool:
    """Whether SMS can be sent at all: to files, or through a gateway with its token."""
    name = backend_name(config)
    return name == "file" or (name == "gatewayapi" and bool(config.get("SMS_GATEWAY_TOKEN")))
