"""Command-line jobs: `flask migrate`, `flask users create`, `flask demo load`,
`flask audit verify`, `flask audit anchor`, `flask tallies check|rebuild`,
`flask worker`."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from models import Role, User
from workflows import demo
from workflows.engine import anchors, people, tallies
from workflows.engine.errors import InvalidInput
from workflows.engine.worker import Worker

from .extensions import get_ctx, get_db, services

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("worker")


def register(app: Flask) -> None:
    app.cli.add_command(migrate)
    app.cli.add_command(users)
    app.cli.add_command(demo_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(tallies_group)
    app.cli.add_command(worker)


@click.command("migrate")
@with_appcontext
def migrate():
    """Bring the database schema up to date (alembic upgrade head)."""
    engine = services().sessions.kw["bind"]
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    click.echo("Database is up to date.")


@click.group("users", cls=AppGroup)
def users():
    """Manage people."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--person-type", default="employee", type=click.Choice(["employee", "volunteer", "trustee"]))
@click.option("--role", "roles", multiple=True, type=click.Choice([role.value for role in Role]))
@click.option("--line-manager", "manager_email", default=None, help="The line manager's email.")
@click.option("--job-title", default="")
def create_user(email, name, password, person_type, roles, manager_email, job_title):
    """Create a person who can sign in."""
    db = get_db()
    manager = db.scalar(select(User).where(User.email == manager_email)) if manager_email else None
    if manager_email and manager is None:
        raise click.ClickException(f"No user with email {manager_email}.")
    try:
        user = people.create_user(
            db,
            email=email,
            name=name,
            password=password,
            person_type=person_type,
            roles=tuple(roles),
            line_manager=manager,
            job_title=job_title,
        )
    except InvalidInput as error:
        raise click.ClickException(str(error)) from None
    db.commit()
    click.echo(f"Created {user.name} <{user.email}> with roles: {', '.join(roles) or 'none'}.")


@users.command("set-password")
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(email, password):
    """Give a person a new password, ending every session they have open."""
    db = get_db()
    people.set_password(db, _person(db, email), password)
    db.commit()
    click.echo(f"New password set for {email}; their sessions have ended.")


@users.command("deactivate")
@click.option("--email", required=True)
def deactivate(email):
    """Stop a person signing in, ending every session they have open."""
    db = get_db()
    people.deactivate(db, _person(db, email))
    db.commit()
    click.echo(f"{email} can no longer sign in; their sessions have ended.")


def _person(db, email: str) -> User:
    user = people.find_by_email(db, email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    return user


@click.group("demo", cls=AppGroup)
def demo_group():
    """Demo data."""


@demo_group.command("load")
@click.option("--short-deadline-minutes", default=3.0, help="Deadline of the demo request that escalates.")
def demo_load(short_deadline_minutes):
    """Load demo people and cases, printing fresh demo passwords."""
    try:
        logins = demo.load(get_ctx(), short_deadline_minutes)
    except InvalidInput as error:
        raise click.ClickException(str(error)) from None
    get_db().commit()
    click.echo("\nDemo sign-ins (passwords are new each time demo data is loaded):")
    for login in logins:
        click.echo(f"  {login.email:28} {login.password:14} {login.name} ({login.roles})")


@click.group("audit", cls=AppGroup)
def audit_group():
    """The audit trail."""


@audit_group.command("verify")
def verify():
    """Re-check every audit hash chain and the anchors; exit 1 naming what was altered."""
    result = anchors.verify(get_db(), services().settings)
    for problem in result.problems:
        click.echo(f"FAIL {problem}", err=True)
    if result.problems:
        click.echo(f"{len(result.problems)} problem(s) in {result.checked} audit events.", err=True)
        if result.note:
            click.echo(result.note, err=True)
        sys.exit(1)
    click.echo(f"OK: {result.checked} audit events verified, every chain intact. {result.note}")


@audit_group.command("anchor")
def anchor():
    """Sign the audit chains' heads now and append them to the anchor log."""
    ctx = get_ctx()
    try:
        written = anchors.write(ctx)
    except anchors.AnchorError as error:
        raise click.ClickException(str(error)) from None
    ctx.db.commit()  # the anchor's email, if one is configured
    for problem in written.withheld:
        click.echo(f"NOT RE-ANCHORED {problem}", err=True)
    made = written.anchor
    which = f"those that moved since anchor #{made.number - 1}" if made.number > 1 else "every chain"
    click.echo(f"Wrote {made} to {ctx.settings.anchor_log}: {len(made.chains)} chain head(s), {which}.")
    click.echo(f"Anchor hash {made.digest}, signed by Ed25519 key {made.key}.")


@click.group("tallies", cls=AppGroup)
def tallies_group():
    """The dashboard's tallies (folded in from what the operations record)."""


@tallies_group.command("check")
def check_tallies():
    """Recount from the cases; exit 1 naming any tally that disagrees."""
    db = get_db()
    wrong = tallies.check(db)
    db.commit()  # the changes it folded in first
    for problem in wrong:
        click.echo(f"WRONG {problem}", err=True)
    if wrong:
        click.echo("Run `flask tallies rebuild` to make them from the cases again.", err=True)
        sys.exit(1)
    click.echo("OK: the dashboard's tallies agree with the cases.")


@tallies_group.command("rebuild")
def rebuild_tallies():
    """Make every tally afresh from the cases (after loading cases around the operations)."""
    db = get_db()
    counted = tallies.rebuild(db)
    db.commit()
    click.echo(f"Rebuilt the dashboard's tallies from {counted} cases.")


@click.command("worker")
@with_appcontext
@click.option("--interval", default=1.0, help="Longest sleep when idle; it wakes sooner for a due timer.")
@click.option("--once", is_flag=True, help="Fire due timers and send mail once, then exit.")
def worker(interval, once):
    """Fire due timers and send queued notifications."""
    s = services()
    runner = Worker(s.sessions, s.library, s.settings, s.mail, interval=interval)
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())  # finish the round, then exit
    log.info("worker started (sleeps at most %ss)", interval)
    with contextlib.suppress(KeyboardInterrupt):
        runner.run(once=once)
