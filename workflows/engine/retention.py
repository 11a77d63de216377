"""The retention schedule (docs/domain.md, "Records and data protection"):
a case closed longer ago than its procedure's retention period (default 6
years, `Settings.retention_years`) is anonymised by the worker, unless a
legal hold is in force on it or on one of its people (holds.py), or a
warning it gave still counts (a live warning is never touched).

Anonymising keeps a statistical skeleton — the kind, reference, dates,
clauses, status (the outcome), which roles were filled, and the answers
given as choices — and nothing that says who, or what was said: people
become one placeholder, free text and files are erased through
`erasure.erase_record` and `audit.erase` (the chain still verifies). One
transaction per case: a failure half-way leaves that case as it was, and
files go only when the sweep finds them unreferenced, after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from marshmallow import fields, validate
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    Case,
    CaseParty,
    CaseTask,
    Evidence,
    InterviewNote,
    Letter,
    OutboxMessage,
    PersonType,
    User,
    WrittenWarning,
)

from . import audit, clock, holds, registry
from .audit import Actor
from .context import Context, Settings
from .erasure import ERASED, erase_record
from .errors import InvalidInput
from .stepdata import Day, Moment

log = logging.getLogger("retention")
RETENTION = Actor("retention schedule")
HORIZON = timedelta(days=90)  # how far ahead HR's page looks
PLACEHOLDER_EMAIL = "anonymised@placeholder.invalid"
# The trail's own proofs of an erasure name no one: they are kept.
PROOFS = ("content_erased", "record_erased")


def years_for(settings: Settings, kind: str) -> int:
    """The setting for this kind, else the procedure's own, else the default."""
    if kind in settings.retention_by_kind:
        return settings.retention_by_kind[kind]
    procedure = registry.find(kind)
    if procedure is not None and procedure.retention_years is not None:
        return procedure.retention_years
    return settings.retention_years


def rule_for(settings: Settings, case: Case) -> str:
    return f"retention: {years_for(settings, case.kind)} years after the case closed"


def due_at(settings: Settings, case: Case) -> datetime | None:
    if case.closed_at is None:
        return None
    return case.closed_at + relativedelta(years=years_for(settings, case.kind))


def _closed_before(settings: Settings, moment: datetime):
    """Cases whose retention date is on or before `moment`, of every kind."""
    kinds = {p.kind for p in registry.procedures()} | set(settings.retention_by_kind)
    each = [and_(Case.kind == k, Case.closed_at <= moment - relativedelta(years=years_for(settings, k))) for k in kinds]
    unknown = and_(Case.kind.not_in(kinds), Case.closed_at <= moment - relativedelta(years=settings.retention_years))
    return and_(Case.closed_at.is_not(None), Case.anonymised_at.is_(None), or_(*each, unknown))


def live_warnings(db: Session, case: Case, today: date) -> list[WrittenWarning]:
    found = db.scalars(select(WrittenWarning).where(WrittenWarning.case_id == case.id))
    return [w for w in found if w.live_on(today)]


def kept_because(db: Session, case: Case) -> str | None:
    """Why the schedule must leave this case alone now, or None."""
    if holds.is_held(db, case):
        return "a legal hold"
    if live_warnings(db, case, clock.london(clock.now()).date()):
        return "a warning that still counts"
    return None


@dataclass(frozen=True)
class Due:
    case: Case
    due_at: datetime
    kept_because: str | None


def falling_due(ctx: Context, within: timedelta = HORIZON) -> list[Due]:
    """Cases whose retention date has passed or comes within `within`, not yet anonymised."""
    cases = ctx.db.scalars(select(Case).where(_closed_before(ctx.settings, clock.now() + within)))
    found = [Due(c, due_at(ctx.settings, c), kept_because(ctx.db, c)) for c in cases]
    return sorted(found, key=lambda d: d.due_at)


def anonymise_due(ctx: Context) -> int:
    """The worker's job: each case past its date, in a transaction of its own."""
    db, done = ctx.db, 0
    for case_id in list(db.scalars(select(Case.id).where(_closed_before(ctx.settings, clock.now())))):
        case = db.get(Case, case_id)
        if kept_because(db, case):
            continue
        try:
            anonymise(ctx, case)
            db.commit()
            done += 1
        except DBAPIError:
            db.rollback()
            raise  # the database went away: the worker waits for it
        except Exception:
            db.rollback()
            log.exception("case %s was not anonymised; it is left as it was", case_id)
    return done


def anonymise(ctx: Context, case: Case, by: Actor = RETENTION) -> None:
    """Reduce one case to its skeleton, in the caller's transaction."""
    reason = kept_because(ctx.db, case)
    if reason:
        raise InvalidInput(f"{case.reference} is kept: {reason} is in force.")
    if case.anonymised_at is not None:
        return
    rule, nobody = rule_for(ctx.settings, case), placeholder(ctx.db)
    _erase_case_file(ctx, case, by, rule)
    _forget_people(ctx.db, case, nobody)
    _erase_emails(ctx.db, case)
    case.state = scrub_state(case.state, kept_names(case.kind))
    case.title = f"{_label(case.kind)} (anonymised)"
    case.anonymised_at = clock.now()
    _erase_trail(ctx.db, case, by, rule)


def _label(kind: str) -> str:
    procedure = registry.find(kind)
    return procedure.label if procedure else kind


def _erase_case_file(ctx: Context, case: Case, by: Actor, rule: str) -> None:
    for model in (Evidence, Letter, InterviewNote):
        for record in ctx.db.scalars(select(model).where(model.case_id == case.id)):
            erase_record(ctx, record, by, rule)
            if isinstance(record, Letter):
                record.title = ERASED
    for warning in ctx.db.scalars(select(WrittenWarning).where(WrittenWarning.case_id == case.id)):
        # Its level and dates stay (the skeleton); why it was given goes.
        warning.reasons, warning.revoked_reason = "", None


def _forget_people(db: Session, case: Case, nobody: User) -> None:
    roles = sorted({p.role for p in case.parties})
    db.execute(delete(CaseParty).where(CaseParty.case_id == case.id))
    db.expire(case, ["parties"])
    now = clock.now()
    db.add_all(CaseParty(case_id=case.id, user_id=nobody.id, role=r, added_at=now) for r in roles)
    case.subject_id = case.opened_by_id = nobody.id
    tasks = update(CaseTask).where(CaseTask.case_id == case.id)
    db.execute(tasks.values(assignee_id=None, completed_by_id=None))
    for model, column in ((Evidence, "added_by_id"), (InterviewNote, "added_by_id"), (Letter, "addressed_to_id")):
        db.execute(update(model).where(model.case_id == case.id).values({column: nobody.id}))
    db.execute(update(WrittenWarning).where(WrittenWarning.case_id == case.id).values(person_id=nobody.id))


def _erase_emails(db: Session, case: Case) -> None:
    """Sent emails keep their dates and Message-ID; one never sent (years on)
    never will be, so it goes, rather than go to nobody."""
    db.execute(delete(OutboxMessage).where(OutboxMessage.case_id == case.id, OutboxMessage.sent_at.is_(None)))
    emails = update(OutboxMessage).where(OutboxMessage.case_id == case.id)
    db.execute(emails.values(to_email="", to_name=ERASED, subject=ERASED, body="", last_error=None))


def _erase_trail(db: Session, case: Case, by: Actor, rule: str) -> None:
    """Every event's words go (who did it stays as the hashed actor id only);
    the chain records the erasure, then what was kept."""
    events = select(AuditEvent.id).where(
        AuditEvent.case_id == case.id, AuditEvent.erased_at.is_(None), AuditEvent.action.not_in(PROOFS)
    )
    audit.erase(db, list(db.scalars(events)), by, rule)
    kept = {
        "rule": rule,
        "kind": case.kind,
        "opened_at": case.opened_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "clauses": list(case.clauses),
        "status": case.status,
    }
    audit.record(db, case.id, "case_anonymised", by, kept)


def placeholder(db: Session) -> User:
    """The one person every anonymised case names instead: signs nobody in."""
    found = db.scalar(select(User).where(User.email == PLACEHOLDER_EMAIL))
    if found is None:
        found = User(
            email=PLACEHOLDER_EMAIL,
            name="Anonymised person",
            password_hash="!",  # no password hashes to this
            person_type=PersonType.EMPLOYEE,
            active=False,
            created_at=clock.now(),
        )
        db.add(found)
        db.flush()
    return found


# --- the workflow's data -----------------------------------------------------


@lru_cache(maxsize=64)  # the contracts are fixed once the procedures are registered
def kept_names(kind: str) -> frozenset[str]:
    """Step data answered by choosing (a choice, yes or no, a date): the
    skeleton. Free text, people and numbers go."""
    procedure = registry.find(kind)
    if procedure is None:
        return frozenset()
    contracts = [s.contract for s in procedure.steps.values()] + [r.contract for r in procedure.recordings.values()]
    return frozenset(name for c in contracts for name, field in c().fields.items() if _chosen(field))


def _chosen(field: fields.Field) -> bool:
    if isinstance(field, fields.List):
        field = field.inner
    if isinstance(field, (fields.Boolean, Moment, Day, fields.Date)):
        return True
    return any(isinstance(v, validate.OneOf) for v in field.validators)


def scrub_state(state: dict, keep: frozenset[str]) -> dict:
    """The serialized workflow with every task's data cut to `keep`: it still
    loads, and says which steps ran and what was chosen."""

    def walk(node):
        if isinstance(node, dict):
            return {k: _only(v, keep) if k in ("data", "updates") else walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(state)


def _only(data, keep: frozenset[str]):
    if not isinstance(data, dict):
        return data
    return {k: v for k, v in data.items() if k in keep}
