"""Delivery reports: the gateway says an SMS reached the phone, or never will."""

from __future__ import annotations

import logging

from sqlalchemy import update

from ...extensions import db
from ...models import DeliveryStatus, OutboxChannel, OutboxMessage, OutboxStatus, utcnow
from .webhooks import DeliveryReport

log = logging.getLogger(__name__)

# GatewayAPI's final statuses; the others (ENROUTE, BUFFERED, ...) say nothing yet.
DELIVERED = frozenset({"DELIVERED"})
FAILED = frozenset({"UNDELIVERABLE", "EXPIRED", "REJECTED", "DELETED", "SKIPPED"})
MAX_ID = 2**31 - 1  # no outbox id is larger


def apply(report: DeliveryReport) -> str:
    """Mark the SMS the report names delivered or failed, once; commit.

    The report must name both our reference (``userref``, the outbox id) and
    the gateway's id the sending stored. A report that comes again, or twice
    at once, changes nothing the second time.

    Returns:
        ``delivered``, ``failed``, ``pending`` (not final yet) or ``unknown``.
    """
    if int(report.userref) > MAX_ID:
        return "unknown"
    if report.status in DELIVERED:
        delivery, values = DeliveryStatus.DELIVERED, {}
    elif report.status in FAILED:
        delivery = DeliveryStatus.FAILED
        values = {
            "status": OutboxStatus.FAILED,
            "last_error": f"delivery report: {report.status} {report.code}".strip(),
        }
    else:
        return "pending"
    changed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == int(report.userref),
            OutboxMessage.channel == OutboxChannel.SMS,
            OutboxMessage.gateway_ref == report.gateway_id,
            OutboxMessage.delivery == DeliveryStatus.NONE,
        )
        .values(delivery=delivery, delivered_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        log.info("sms: a delivery report for no waiting message (%s)", report.gateway_id)
        return "unknown"
    if delivery == DeliveryStatus.FAILED:
        log.warning("sms: message %s was not delivered (%s)", report.userref, report.status)
    return str(delivery)
