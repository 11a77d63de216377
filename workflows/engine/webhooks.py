"""Outbound webhooks: an admin subscribes a URL to events (case opened, step
waiting, step completed, case closed). A delivery is queued in the
operation's transaction, so nothing is announced that did not commit; the
worker sends it after, signed with the subscription's HMAC key, and retries
with back-off. A payload carries ids and event names, never the case file.

Like the email outbox, delivery is at least once: a worker that dies after
the receiver answered and before the mark sends it again once its lease
ends, with the same `X-BCW-Delivery` id for the receiver to recognise."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import Case, CaseTask, User, WebhookDelivery, WebhookSubscription

from . import audit, clock
from .audit import Actor, PendingEvent
from .errors import InvalidInput, NotFound

log = logging.getLogger(__name__)

EVENTS = {
    "case_opened": "A case is opened",
    "step_waiting": "A step starts waiting for someone",
    "step_completed": "A step is completed",
    "case_closed": "A case is closed",
}
# The audit events each webhook event is announced from.
_FROM_AUDIT = {"case_opened": "case_opened", "task_completed": "step_completed", "case_closed": "case_closed"}
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 10
BATCH = 20


def subscribe(db: Session, admin: User, url: str, events: list[str]) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (shown to the admin once)."""
    url = url.strip()
    parts = urlsplit(url)
    local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if (parts.scheme != "https" and not (parts.scheme == "http" and local)) or not parts.hostname:
        raise InvalidInput("Give an https:// address (http:// only for this machine, for testing).", "url")
    if len(url) > 500:
        raise InvalidInput("At most 500 characters.", "url")
    if not events or set(events) - set(EVENTS):
        raise InvalidInput("Choose at least one of the events listed.", "events")
    secret = secrets.token_urlsafe(32)
    row = WebhookSubscription(
        url=url, events=" ".join(sorted(set(events))), secret=secret, created_by_id=admin.id, created_at=clock.now()
    )
    db.add(row)
    db.flush()
    audit.record(db, None, "webhook_subscribed", Actor.person(admin), {"subscription_id": row.id, "url": url})
    return row, secret


def end(db: Session, admin: User, subscription_id: int) -> WebhookSubscription:
    row = db.get(WebhookSubscription, subscription_id)
    if row is None:
        raise NotFound("There is no such webhook.")
    if row.ended_at is None:
        row.ended_at = clock.now()
        audit.record(db, None, "webhook_ended", Actor.person(admin), {"subscription_id": row.id, "url": row.url})
    return row


def queue(db: Session, case: Case, events: list[PendingEvent], created: list[CaseTask]) -> None:
    """Queue what an operation's events announce, in its transaction."""
    found = [(_FROM_AUDIT[e.action], {"step": e.bpmn_task}) for e in events if e.action in _FROM_AUDIT]
    found += [("step_waiting", {"step": row.bpmn_id, "task_id": row.id}) for row in created]
    if not found:
        return
    subscriptions = db.scalars(select(WebhookSubscription).where(WebhookSubscription.ended_at.is_(None))).all()
    if not subscriptions:
        return
    if any(row.id is None for row in created):
        db.flush()  # the new steps' ids, which the payload names
    now = clock.now()
    for subscription in subscriptions:
        for event, extra in found:
            if event in subscription.event_set:
                body = {
                    "event": event,
                    "occurred_at": now.isoformat(),
                    "case": {"id": case.id, "reference": case.reference, "procedure": case.kind},
                    **{k: v for k, v in extra.items() if v is not None},
                }
                db.add(
                    WebhookDelivery(
                        subscription_id=subscription.id,
                        event=event,
                        payload=json.dumps(body, sort_keys=True),
                        created_at=now,
                        next_attempt_at=now,
                    )
                )


def signature(secret: str, payload: bytes) -> str:
    """What `X-BCW-Signature` carries: the receiver computes it again with its copy of the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()


def send_due(db: Session, limit: int = BATCH) -> int:
    """Claim due deliveries (one short transaction), post each holding no
    transaction, and record each answer in a transaction of its own."""
    try:
        claimed = _claim(db, limit)
    except SQLAlchemyError as error:
        db.rollback()
        log.warning("could not claim webhook deliveries (retrying next round): %s", error)
        return 0
    delivered = 0
    for delivery_id, url, secret, event, payload, attempts in claimed:
        status, error = _post(url, secret, delivery_id, event, payload)
        delivered += _record(db, delivery_id, attempts, status, error)
    return delivered


def _claim(db: Session, size: int) -> list[tuple]:
    now = clock.now()
    free = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.failed_at.is_(None),
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until <= now),
        )
        .order_by(WebhookDelivery.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    ids = db.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(free))
        .values(leased_until=now + LEASE, attempts=WebhookDelivery.attempts + 1)
        .returning(WebhookDelivery.id)
    ).all()
    rows = (
        db.execute(
            select(
                WebhookDelivery.id,
                WebhookSubscription.url,
                WebhookSubscription.secret,
                WebhookDelivery.event,
                WebhookDelivery.payload,
                WebhookDelivery.attempts,
            )
            .join(WebhookSubscription, WebhookDelivery.subscription_id == WebhookSubscription.id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        ).all()
        if ids
        else []
    )
    db.commit()
    return [tuple(row) for row in rows]


def _post(url: str, secret: str, delivery_id: int, event: str, payload: str) -> tuple[int | None, str | None]:
    body = payload.encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "BCW-Hub-casework-webhooks",
            "X-BCW-Event": event,
            "X-BCW-Delivery": str(delivery_id),
            "X-BCW-Signature": signature(secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, f"answered {error.code}"
    except (OSError, ValueError) as error:
        return None, str(error)[:500] or type(error).__name__


def _record(db: Session, delivery_id: int, attempts: int, status: int | None, error: str | None) -> int:
    now = clock.now()
    if error is None:
        values = {"delivered_at": now, "last_status": status, "last_error": None, "leased_until": None}
    elif attempts >= MAX_ATTEMPTS:
        values = {"failed_at": now, "last_status": status, "last_error": error, "leased_until": None}
    else:
        wait = RETRY_AFTER[attempts - 1]
        values = {"next_attempt_at": now + wait, "last_status": status, "last_error": error, "leased_until": None}
        log.warning("webhook delivery %s: %s; trying again in %s", delivery_id, error, wait)
    try:
        db.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values))
        db.commit()
    except SQLAlchemyError as failure:
        db.rollback()
        log.error(
            "webhook delivery %s could not be recorded (its lease ends, then it goes again): %s", delivery_id, failure
        )
        return 0
    return 1 if error is None else 0


def recent(db: Session, limit: int = 100) -> list[WebhookDelivery]:
    return list(db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)))


def subscriptions(db: Session) -> list[WebhookSubscription]:
    return list(db.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))
