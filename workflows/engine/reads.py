"""Every read of personal data is accountable (docs/domain.md, "Records and
data protection"): posts often reveal special-category data, and allegations
may be criminal-offence data. A page view, a download, an export, a bundle or
a subject access release records who read what, and why, on the case's
trail; HR sees per person who looked at their cases (`reads_about`).

Exports, bundles and releases call `record_read` with their purpose; the
case page and the case file's downloads record the reader's standing on the
case (`basis`) as the why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import AuditEvent, Case, CaseParty, Role, User

from . import access, audit
from .audit import Actor
from .context import Context

# The trail's actions that are reads of a case's personal data.
READS = (
    "case_viewed",
    "evidence_downloaded",
    "letter_viewed",
    "letter_downloaded",
    "personal_data_read",
)


def record_read(ctx: Context, about: Case | User, by: User, why: str, what: str) -> int:
    """Record that `by` read `what` (an export, a bundle, a release...) of a
    case, or of everything about a person (each of their cases), and `why`.
    In the caller's transaction; returns how many cases it was recorded on."""
    why, what = why.strip(), what.strip()
    if not why or not what:
        raise ValueError("a read of personal data says what was read and why")
    data = {"what": what[:200], "why": why[:500]}
    if isinstance(about, Case):
        audit.record(ctx.db, about.id, "personal_data_read", Actor.person(by), data)
        return 1
    cases = list(ctx.db.scalars(cases_of(about.id)))
    for case_id in cases:
        audit.record(ctx.db, case_id, "personal_data_read", Actor.person(by), {**data, "person_id": about.id})
    if not cases:  # nothing on a case: still on the trail, on the system chain
        audit.record(ctx.db, None, "personal_data_read", Actor.person(by), {**data, "person_id": about.id})
    return len(cases)


def basis(user: User, case: Case) -> str:
    """Why this reader may look, in HR's words: their part on the case, else HR,
    else the pool a waiting step is in."""
    roles = sorted(access.party_roles(user, case))
    if roles:
        return ", ".join(roles)
    if user.has_role(Role.HR) and access.can_view_case(user, case):
        return "HR"
    return "a step waiting for " + ", ".join(sorted(user.roles)) if user.roles else "unknown"


def cases_of(person_id: int):
    """Cases the person is the subject of or a party to."""
    party = select(CaseParty.case_id).where(CaseParty.user_id == person_id)
    return select(Case.id).where(or_(Case.subject_id == person_id, Case.id.in_(party))).order_by(Case.id)


@dataclass(frozen=True)
class Read:
    case_reference: str
    at: datetime
    who: str
    action: str
    data: dict


def reads_about(db: Session, person: User, limit: int = 500) -> list[Read]:
    """Newest first: who read the person's cases (their own reads included,
    marked by the page), and what and why."""
    rows = db.execute(
        select(Case.reference, AuditEvent)
        .join(Case, Case.id == AuditEvent.case_id)
        .where(AuditEvent.case_id.in_(cases_of(person.id)), AuditEvent.action.in_(READS))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [Read(ref, e.occurred_at, e.actor_label, e.action, e.data) for ref, e in rows]
