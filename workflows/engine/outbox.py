"""Emails: rendered from a procedure's notice templates and queued in the
outbox inside the operation's transaction; sent by the worker only after
that transaction committed.

Delivery is at least once, with at most one duplicate per crash, and the
duplicate carries the same Message-ID (SMTP cannot give exactly once: a
server may take a message and the sender die before it hears so). See
`send_pending`.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, parseaddr
from pathlib import Path

from sqlalchemy import Row, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import Case, OutboxMessage, User

from . import clock, delivery, pools, registry, texts

log = logging.getLogger(__name__)
# Notices every procedure sends the same way (a pool step waiting, a reporter
# told of opening and closing); a procedure's notices/ may word its own.
SHARED_NOTICES = Path(__file__).parent / "notices"


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
        lane = procedure.role(role)
        if not named and lane.pool:
            named = pools.eligible(db, case, pools.route(db, case, lane.pool, lane.stand_in))
        found.update((u.id, u) for u in named)
    return list(found.values())


def queue(
    db: Session,
    case: Case,
    template: str,
    roles: list[str],
    data: dict,
    base_url: str,
    already_told: frozenset[str] = frozenset(),
    not_these: frozenset[int] = frozenset(),
) -> list[str]:
    """Render `template` for each recipient (but those in `already_told`,
    emails this operation has already queued, and those in `not_these`,
    people kept off the step it is about) and add it to the outbox."""
    found = [p for p in recipients(db, case, roles) if p.id not in not_these]
    return queue_to(db, case, template, found, data, base_url, already_told)


def queue_to(
    db: Session,
    case: Case,
    template: str,
    people: Sequence[User],
    data: dict,
    base_url: str,
    already_told: frozenset[str] = frozenset(),
) -> list[str]:
    """`queue`, to these people."""
    queued = []
    for person in people:
        if person.email in already_told:
            continue
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
        procedure.notices if texts.exists(procedure.notices, template) else SHARED_NOTICES,
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

BATCH = 50  # rows one call claims and sends over one SMTP connection
MAX_ATTEMPTS = 5
# After a failed attempt n (1-based), no sender takes the row for RETRY_AFTER[n - 1].
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
SMTP_TIMEOUT = 30  # seconds, for each socket operation
# smtplib's timeout bounds each socket operation, and a send is at most ten
# of them (connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, the
# message, its reply). A message is started only with that much lease left,
# so no other sender takes it over while it is in flight.
LEASE = timedelta(minutes=10)
LEASE_LEFT_TO_START = timedelta(seconds=10 * SMTP_TIMEOUT)
# A refusal of this one message (its recipient, its sender, its content, an
# address the server cannot take); any other SMTP error is the server or the line.
MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)

_outbox = OutboxMessage.__table__
_SENT_COLUMNS = (
    _outbox.c.id,
    _outbox.c.case_id,
    _outbox.c.template,
    _outbox.c.to_email,
    _outbox.c.to_name,
    _outbox.c.subject,
    _outbox.c.body,
    _outbox.c.message_id,
    _outbox.c.attempts,
)


def send_pending(db: Session, mail: MailSettings, limit: int = BATCH) -> int:
    """Send up to `limit` queued messages; returns how many went.

    1. Claim: one short transaction leases a batch of unsent rows
       (`leased_until`, `attempts + 1`; FOR NO KEY UPDATE SKIP LOCKED on
       PostgreSQL, so senders share the queue) and loads their bodies.
    2. Send each over one SMTP connection, holding no transaction.
    3. Mark each sent, with its `notification_sent` event, in a short
       transaction of its own, right after the server took it.

    A crash between 2 and 3 leaves that one message leased: it is sent again
    once the lease ends, with the same Message-ID. That is the only
    duplicate: at most one per crash. A failed send is recorded on the row
    (`last_error`) and retried after RETRY_AFTER, up to MAX_ATTEMPTS.
    Database and SMTP errors are logged, never raised: `flask worker` goes on.
    """
    try:
        batch, lease_end = _claim(db, limit)
    except SQLAlchemyError as error:
        db.rollback()
        log.warning("could not claim outbox messages (retrying next round): %s", error)
        return 0
    if not batch:
        return 0
    with _Connection(mail) as smtp:
        return _send_batch(db, smtp, batch, lease_end)


def _claim(db: Session, size: int) -> tuple[Sequence[Row], datetime]:
    """Lease the oldest free rows and load the bodies of those claimed."""
    now = clock.now()
    lease_end = now + LEASE
    ids = db.scalars(lease_statement(now, size)).all()
    batch = db.execute(select(*_SENT_COLUMNS).where(_outbox.c.id.in_(ids)).order_by(_outbox.c.id)).all() if ids else []
    db.commit()
    return batch, lease_end


def lease_statement(now: datetime, size: int):
    """UPDATE … RETURNING id of the oldest free rows: a lease to `now + LEASE`
    and one more attempt. It reads ids and lease columns only, through the
    index of unsent rows. On SQLite the same statement runs under BEGIN
    IMMEDIATE; on PostgreSQL FOR NO KEY UPDATE SKIP LOCKED lets senders
    share the queue, and a row another sender leased meanwhile is rechecked
    against the lease and left out."""
    free = (
        select(_outbox.c.id)
        .where(
            _outbox.c.sent_at.is_(None),
            _outbox.c.attempts < MAX_ATTEMPTS,
            or_(_outbox.c.leased_until.is_(None), _outbox.c.leased_until <= now),
        )
        .order_by(_outbox.c.id)
        .limit(size)
        .with_for_update(key_share=True, skip_locked=True)
    )
    return (
        update(_outbox)
        .where(_outbox.c.id.in_(free))
        .values(leased_until=now + LEASE, attempts=_outbox.c.attempts + 1)
        .returning(_outbox.c.id)
    )


def _send_batch(db: Session, smtp: _Connection, batch: Sequence[Row], lease_end: datetime) -> int:
    sent = 0
    for place, message in enumerate(batch):
        if clock.now() + LEASE_LEFT_TO_START > lease_end:
            _give_back(db, batch[place:])  # too late to start: another round takes them
            break
        try:
            smtp.send(compose(smtp.mail, message))
        except MESSAGE_REFUSED as error:
            _failed(db, [message], error)
            continue
        except (OSError, smtplib.SMTPException) as error:
            # The server or the line: the rest of the batch has had its
            # attempt too, and every row waits before the next.
            _failed(db, batch[place:], error)
            break
        except Exception as error:  # a message that cannot be composed must not hold up the rest
            log.exception("outbox message %s cannot be sent", message.id)
            _failed(db, [message], error)
            continue
        if not _mark_sent(db, message):
            break  # the database is failing: the rest keep their lease and go later
        sent += 1
    return sent


def _mark_sent(db: Session, message: Row) -> bool:
    """Record the delivery in a transaction of its own (delivery.py); False
    when the database failed."""
    try:
        delivery.mark_sent(db, message)
        db.commit()
        return True
    except SQLAlchemyError as error:
        db.rollback()
        log.error("outbox message %s was sent but could not be marked sent; it goes again later: %s", message.id, error)
        _note(db, [([message.id], {"last_error": f"sent, not marked sent: {error}"[:500]})])
        return False


def _failed(db: Session, messages: Sequence[Row], error: Exception) -> None:
    """Back off: each row waits RETRY_AFTER its attempt, with the error kept."""
    log.warning("sending outbox message(s) %s failed: %s", ", ".join(str(m.id) for m in messages), error)
    now, reason = clock.now(), str(error)[:500] or type(error).__name__
    by_attempt: dict[int, list[int]] = {}
    for message in messages:
        by_attempt.setdefault(message.attempts, []).append(message.id)
    _note(
        db,
        [
            (ids, {"last_error": reason, "leased_until": now + RETRY_AFTER[min(attempt, len(RETRY_AFTER)) - 1]})
            for attempt, ids in by_attempt.items()
        ],
    )


def _give_back(db: Session, messages: Sequence[Row]) -> None:
    """Unclaim rows never tried: their attempt does not count."""
    _note(db, [([m.id for m in messages], {"leased_until": None, "attempts": _outbox.c.attempts - 1})])


def _note(db: Session, changes: list[tuple[list[int], dict]]) -> None:
    """Update rows in one transaction of their own, or log why not (their
    lease then keeps other senders off until it ends)."""
    try:
        for ids, values in changes:
            db.execute(update(_outbox).where(_outbox.c.id.in_(ids)).values(**values))
        db.commit()
    except SQLAlchemyError as error:
        db.rollback()
        log.error("could not update outbox message(s) %s: %s", [c[0] for c in changes], error)


def compose(mail: MailSettings, message) -> MIMEText:
    """The email for an outbox row, under the row's Message-ID. The legacy
    (compat32) classes, not EmailMessage: the same message on the wire, built
    and flattened in a fifth of the time, which is most of a send."""
    email = MIMEText(message.body, "plain", _UTF8)
    email["From"] = formataddr(parseaddr(mail.sender))
    email["To"] = formataddr((message.to_name, message.to_email))
    email["Subject"] = message.subject if message.subject.isascii() else Header(message.subject, "utf-8")
    email["Message-ID"] = message.message_id
    return email


_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # readable where a body is mostly ASCII, as notices are
_ON_THE_WIRE = compat32.clone(linesep="\r\n")


class _Connection:
    """One SMTP connection for a batch, opened at its first message; with
    no MAIL_SERVER, messages go to the log instead."""

    def __init__(self, mail: MailSettings):
        self.mail, self.smtp = mail, None

    def __enter__(self) -> _Connection:
        return self

    def send(self, email: MIMEText) -> None:
        if self.mail.host is None:
            log.info(
                "email (not sent: no MAIL_SERVER set)\nTo: %s\nSubject: %s\nMessage-ID: %s\n\n%s",
                email["To"],
                email["Subject"],
                email["Message-ID"],
                email.get_payload(decode=True).decode("utf-8"),
            )
            return
        if self.smtp is None:
            self.smtp = self._connect()
        sender, to = parseaddr(email["From"])[1], parseaddr(email["To"])[1]
        self.smtp.sendmail(sender, [to], email.as_bytes(policy=_ON_THE_WIRE))

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.mail.host, self.mail.port, timeout=SMTP_TIMEOUT)
        try:
            if self.mail.starttls:
                smtp.starttls()
            if self.mail.username:
                smtp.login(self.mail.username, self.mail.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def __exit__(self, *exc) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
