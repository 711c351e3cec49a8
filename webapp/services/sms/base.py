"""What every SMS backend is: one method that hands a message to the gateway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class SmsError(Exception):
    """The gateway could not take the message now (down, slow, busy): try again later."""


class SmsSettingsError(SmsError):
    """The settings name no usable backend (no token, a sender too long, an unknown name)."""


class SmsRejectedError(SmsError):
    """The gateway refused the message itself (a bad number, a bad sender): never retried."""


@dataclass(frozen=True)
class OutgoingSms:
    """One SMS to send: to a number in E.164, with our reference for its delivery report."""

    to: str
    text: str
    userref: str
    template: str


class SmsBackend(Protocol):
    """A way to send an SMS."""

    def send(self, sms: OutgoingSms) -> str:
        """Send `sms`; return the gateway's id of it.

        Raises:
            SmsRejectedError: the gateway refused this message.
            SmsError: the gateway is unreachable or failed; a retry may work.
        """
        ...
