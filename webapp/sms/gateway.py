"""The gateway's webhooks: delivery reports and incoming SMS, each verified, each handled once."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from ..extensions import csrf
from ..services.sms import incoming, messages, reports, webhooks

gateway_bp = Blueprint("sms_gateway", __name__, url_prefix="/sms/gateway")


def _claims() -> dict[str, object]:
    """The verified event of this request (`webhooks.WebhookAuthError` when it is not signed)."""
    return dict(
        webhooks.verified_claims(
            request.headers.get(webhooks.SIGNATURE_HEADER),
            str(current_app.config.get("SMS_WEBHOOK_SECRET") or ""),
        )
    )


@gateway_bp.errorhandler(webhooks.WebhookAuthError)
def _unsigned(error: webhooks.WebhookAuthError) -> tuple[Response, int]:
    return jsonify(error=str(error)), 401


@gateway_bp.errorhandler(webhooks.WebhookEventError)
def _bad_event(error: webhooks.WebhookEventError) -> tuple[Response, int]:
    return jsonify(error=str(error)), 400


@gateway_bp.route("/reports", methods=["POST"])
@csrf.exempt
def delivery_report() -> Response:
    """A delivery report: the SMS it names is marked delivered or failed."""
    outcome = reports.apply(webhooks.delivery_report(_claims()))
    return jsonify(outcome=outcome)


@gateway_bp.route("/incoming", methods=["POST"])
@csrf.exempt
def incoming_sms() -> Response:
    """An SMS to the board's number: an answer, STOP, START, or one for the coordinators."""
    event = webhooks.incoming(_claims())
    outcome = incoming.receive(event, told=messages.queue_sms_received)
    return jsonify(outcome=outcome)
