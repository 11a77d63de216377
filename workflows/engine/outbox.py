"""Emails: rendered from a procedure's notice templates and queued in the
outbox inside the operation's transaction; sent by the worker only after
that transaction committed."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, OutboxMessage, User

from . import audit, clock, pools, registry, texts
from .audit import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None  # None: write messages to the log instead of SMTP
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "BCW Hub HR <hr@bcwhub.org.uk>"


def recipients(db: Session, case: Case, roles: list[str]) -> list[User]:
    """People holding these case roles; a role nobody holds yet goes to its
    pool, less the case's subject and its complainants or witnesses (nobody
    is told of their own case as staff)."""
    procedure, found = registry.get(case.kind), {}
    for role in roles:
        named = [p.user for p in case.parties if p.role == role]
        pool = procedure.role(role).pool
        if not named and pool:
            named = pools.eligible(db, case, pools.route(db, case, pool))
        found.update((u.id, u) for u in named)
    return list(found.values())


def queue(db: Session, case: Case, template: str, roles: list[str], data: dict, base_url: str) -> list[str]:
    """Render `template` for each recipient and add it to the outbox."""
    queued = []
    for person in recipients(db, case, roles):
        subject, body = render(template, case, person, data, base_url)
        db.add(
            OutboxMessage(
                case_id=case.id,
                template=template,
                to_email=person.email,
                to_name=person.name,
                subject=subject,
                body=body,
                created_at=clock.now(),
            )
        )
        queued.append(person.email)
    return queued


def render(template: str, case: Case, recipient: User, data: dict, base_url: str) -> tuple[str, str]:
    """The notice's subject line and body: what every notice may use, plus
    what its procedure adds (`Procedure.notice_context`)."""
    procedure = registry.get(case.kind)
    extra = procedure.notice_context(case, recipient, data) if procedure.notice_context else {}
    return texts.render(
        procedure.notices,
        template,
        "Subject",
        case=case,
        recipient=recipient,
        data=data,
        person_type=case.subject.person_type,
        recipient_is_subject=recipient.id == case.subject_id,
        link=f"{base_url}/cases/{case.reference}",
        format=format_london,
        **extra,
    )


def format_london(iso_or_dt) -> str:
    moment = datetime.fromisoformat(iso_or_dt) if isinstance(iso_or_dt, str) else iso_or_dt
    return clock.london(moment).strftime("%A %-d %B %Y at %H:%M")


# --- sending (the worker) -----------------------------------------------------


def send_pending(db: Session, mail: MailSettings, limit: int = 50) -> int:
    """Send queued messages, one claim and one commit each, so a crash or a
    second worker never sends a message twice."""
    sent, tried = 0, []
    while len(tried) < limit:
        message = _claim_one(db, tried)
        if message is None:
            break
        tried.append(message.id)
        message.attempts += 1
        try:
            deliver(mail, message)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:500]
            log.warning("sending outbox message %s failed: %s", message.id, error)
        else:
            message.sent_at = clock.now()
            audit.record(
                db,
                message.case_id,
                "notification_sent",
                Actor("worker"),
                {
                    "to": message.to_email,
                    "subject": message.subject,
                    "template": message.template,
                    "outbox_id": message.id,
                },
            )
            sent += 1
        db.commit()
    return sent


def _claim_one(db: Session, exclude: list[int]) -> OutboxMessage | None:
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < 5, OutboxMessage.id.not_in(exclude))
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.scalar(stmt)


def deliver(mail: MailSettings, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = mail.sender
    email["To"] = formataddr((message.to_name, message.to_email))
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="bcwhub.org.uk")
    email.set_content(message.body)
    if mail.host is None:
        log.info(
            "email (not sent: no MAIL_SERVER set)\nTo: %s\nSubject: %s\n\n%s",
            email["To"],
            message.subject,
            message.body,
        )
        return
    with smtplib.SMTP(mail.host, mail.port, timeout=30) as smtp:
        if mail.starttls:
            smtp.starttls()
        if mail.username:
            smtp.login(mail.username, mail.password or "")
        smtp.send_message(email)
