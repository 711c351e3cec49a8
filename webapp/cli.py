"""`flask --app webapp ...` commands: set-up, demo data, accounts, the email outbox, the worker."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click
from flask import Flask
from flask_migrate import upgrade

from webapp.ui import board_day

from . import demo
from .extensions import db
from .models import Role, User
from .services import (
    accounts,
    audit,
    geocode_batch,
    notifications,
    onboarding,
    outbox,
    placements,
    retention,
    run_page,
    run_recovery,
    runs,
)
from .services.errors import InvalidStateError
from .services.sms import messages as sms_messages
from .worker import EmbeddedWork, QueueUnavailableError, RedisWork, background, process

OUTBOX_JOB_TIMEOUT_S = 900.0  # 100 messages at most, each within its 30 s SMTP timeout
RETENTION_EVERY_S = 24 * 3600.0  # one worker applies the retention periods once a day
RETENTION_JOB_TIMEOUT_S = 3600.0


def register(app: Flask) -> None:
    """Add the commands to `app`."""

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when accounts already exist.")
    @click.option(
        "--data",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of demo data files to seed instead of the package's own.",
    )
    def seed_demo(if_empty: bool, data: Path | None) -> None:
        """Fill the database with fictional demo data (development only)."""
        if app.config["PRODUCTION"]:
            raise click.ClickException("demo data is never seeded in production")
        if not demo.is_empty():
            if if_empty:
                click.echo("The database already has data: no demo data added.")
                return
            raise click.ClickException("the database is not empty")
        try:
            counts = demo.seed(folder=data or demo.DATA)
        except demo.DemoDataError as error:
            raise click.ClickException(str(error)) from error
        click.echo("Demo data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

    @app.cli.command("demo-accounts")
    def demo_accounts() -> None:
        """Print the demo accounts."""
        click.echo(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for email, role in demo.DEMO_ACCOUNTS:
            click.echo(f"  {role:<12} {email}")

    @app.cli.command("setup")
    def setup() -> None:
        """Migrate the database to the newest schema and add the standard onboarding steps."""
        upgrade()
        onboarding.ensure_standard_step_kinds()
        click.echo("The database is up to date.")

    @app.cli.command("purge-audit")
    @click.option(
        "--days",
        type=click.IntRange(min=1),
        default=None,
        help="Keep the audit entries of this many days (default: AUDIT_RETENTION_DAYS).",
    )
    def purge_audit(days: int | None) -> None:
        """Delete the audit trail's entries older than its retention period."""
        try:
            count, keep = audit.purge_expired(days=days)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Deleted {count} audit entries older than {keep} days.")

    @app.cli.command("apply-retention")
    def apply_retention() -> None:
        """Anonymise youths and delete registrations and messages past their retention period."""
        try:
            report = retention.apply()
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            f"Retention: {report.anonymised} youths anonymised, "
            f"{report.registrations_deleted} registrations and "
            f"{report.messages_deleted} sent messages deleted."
        )

    @app.cli.command("match")
    @click.option(
        "--start-date",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="First day of the placements (default: a week from today).",
    )
    @click.option("--method", type=click.Choice(["optimal", "stable"]), default="optimal")
    @click.option("--period", type=click.Choice(["auto", "school", "holiday"]), default="auto")
    @click.option("--time-limit", type=float, default=30.0, help="Solver budget in seconds.")
    def match(start_date: dt.datetime | None, method: str, period: str, time_limit: float) -> None:
        """Run matching over every area now and print its figures (as a coordinator's run)."""
        from flask_babel import force_locale
        from sqlalchemy import select

        actor = db.session.scalar(
            select(User).where(User.role == Role.COORDINATOR, User.is_active_account).limit(1)
        )
        if actor is None:
            raise click.ClickException("no active coordinator: create one first")
        day = start_date.date() if start_date else board_day.today() + dt.timedelta(days=7)
        # This process waits for the solve anyway: solved here, also beside a queue.
        app.config["MATCH_RUNS_SYNC"] = True
        app.extensions["jobmatch_worker"] = EmbeddedWork()
        with force_locale("da"):
            run = runs.create_run(
                actor,
                runs.RunParameters(
                    start_date=day, period=period, time_limit_s=time_limit, method=method
                ),
            )
            result = run_page.result(run)
        click.echo(f"Run {run.public_id}: {run.status} ({run.period} week from {day})")
        if result.figures is None:
            raise click.ClickException(run.error or "the run did not finish")
        figures = result.figures
        click.echo(
            f"Youths {figures.youths}, placed {figures.placed}, new proposals "
            f"{figures.new_proposals}, unplaced {result.unplaced_total}, "
            f"{figures.seconds} s, {'optimal' if figures.optimal else 'not proven optimal'}"
        )
        if figures.price_of_stability is not None:
            click.echo(f"Price of stability: {figures.price_of_stability}")

    @app.cli.command("start-placements")
    def start_placements() -> None:
        """Mark confirmed placements whose first day has come as started (run daily from cron)."""
        count = placements.start_due(board_day.today())
        click.echo(f"Started {count} placements.")

    @app.cli.command("create-coordinator")
    @click.argument("email")
    @click.argument("name")
    @click.password_option()
    def create_coordinator(email: str, name: str, password: str) -> None:
        """Create the first coordinator account (production set-up)."""
        try:
            accounts.create_coordinator(email=email, name=name, password=password)
        except InvalidStateError as error:
            raise click.ClickException(f"{error.field}: {error}") from None
        click.echo("Coordinator created.")

    @app.cli.command("send-outbox")
    @click.option("--loop", is_flag=True, help="Keep sending until stopped.")
    @click.option("--interval", type=float, default=30.0, help="Seconds between runs with --loop.")
    @click.option("--limit", type=int, default=100, help="At most this many messages per run.")
    def send_outbox(loop: bool, interval: float, limit: int) -> None:
        """Send the emails that are due, with retries and backoff."""
        while True:
            report = outbox.send_pending(limit=limit)
            db.session.remove()
            if report.attempted or report.recovered or not loop:
                folder = app.config.get("MAIL_FILE_DIR")
                click.echo(
                    f"Outbox: {report.sent} sent{f' (written to {folder})' if folder else ''}, "
                    f"{report.retrying} to retry, {report.failed} failed, "
                    f"{report.recovered} recovered."
                )
            if not loop:
                return
            time.sleep(interval)

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(burst: bool) -> None:
        """Solve matching runs and send the outbox from the queue (QUEUE_URL) until stopped."""
        work = background()
        if not isinstance(work, RedisWork):
            raise click.ClickException(
                "QUEUE_URL is not set: without a queue, runs are solved in the web process "
                "and `send-outbox --loop` sends the email"
            )
        tick = float(app.config["QUEUE_TICK_SECONDS"])

        def send_outbox_once_per_tick() -> None:
            if work.once_per("outbox", tick):
                work.submit(app, outbox.send_pending, timeout_s=OUTBOX_JOB_TIMEOUT_S)

        def apply_retention_once_a_day() -> None:
            if work.once_per("retention", RETENTION_EVERY_S):
                work.submit(app, retention.apply, timeout_s=RETENTION_JOB_TIMEOUT_S)

        hooks = [run_recovery.recover, send_outbox_once_per_tick, apply_retention_once_a_day]
        try:
            process.work(app, hooks, burst=burst)
        except QueueUnavailableError as error:
            raise click.ClickException(
                f"the queue's Redis does not answer ({error}): is it running, and QUEUE_URL right?"
            ) from error

    @app.cli.command("geocode")
    @click.option("--limit", type=int, default=None, help="At most this many addresses.")
    def geocode(limit: int | None) -> None:
        """Look up the addresses not checked yet (saved in an outage, or before the geocoder)."""
        report = geocode_batch.geocode_pending(limit=limit)
        click.echo(
            f"Geocoding: {report.asked} addresses looked up, {report.located} places located, "
            f"{report.not_found} not found, {report.left} left."
        )
        if report.stopped:
            raise click.ClickException(f"stopped, {report.stopped}: run it again later")

    @app.cli.command("queue-reminders")
    @click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Today (default: now).")
    def queue_reminders(day: dt.datetime | None) -> None:
        """Queue the first-day reminders for tomorrow; on Mondays the stalled-onboarding digest.

        And the SMS of the day: the first day's, tomorrow's and this morning's, and the
        weekly check-in of new jobs (sent from 08:00 to a minor).
        """
        today = day.date() if day else board_day.today()
        reminders = notifications.queue_first_day_reminders(db.session, today)
        digests = 0
        if today.weekday() == 0:
            digests = notifications.queue_stalled_onboarding_digest(db.session, today)
        texts = sms_messages.queue_first_day_sms(db.session, today)
        texts += sms_messages.queue_check_in_sms(db.session, today)
        db.session.commit()
        click.echo(f"Queued {reminders} first-day reminders and {digests} digests.")
        click.echo(f"Queued {texts} SMS.")
