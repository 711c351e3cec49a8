"""The SMS pages: the gateway's signed webhooks, and the coordinators' inbox and contacts.

`gateway_bp` (``/sms/gateway/...``) takes delivery reports and incoming SMS,
trusted only with a valid ``X-Gwapi-Signature`` (`services.sms.webhooks`);
`bp` (``/coordinator/sms/...``) is for coordinators only.
"""

from . import gateway, pages
from .gateway import gateway_bp
from .pages import bp

__all__ = ["bp", "gateway", "gateway_bp", "pages"]
