"""Adding to a case file outside the diagram's steps: evidence and interview
notes, by HR or the investigator, while the case is open. Each is audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from models import Case, Evidence, InterviewNote, Letter, User

from . import access, audit, clock, outbox, reads, registry
from .audit import Actor, PendingEvent
from .context import Context
from .errors import InvalidInput, NotFound
from .evidence import attach_evidence, check_captured_at
from .running import add_party


def check_can_add(ctx: Context, case: Case, user: User, what: str) -> None:
    """HR and the investigator add to an open case; nobody else, and not after it ended."""
    if not access.sees_case_file(user, case):
        access.refuse(user, case, f"tried to add {what}")
    if not case.is_open:
        raise InvalidInput("This case has ended: nothing more can be added to it.")


def add_evidence(ctx: Context, case: Case, user: User, item: Evidence, shared: bool) -> Evidence:
    check_can_add(ctx, case, user, "evidence")
    check_captured_at(item.captured_at, case.opened_at)
    item.shared_with_subject = shared
    attach_evidence(ctx, case, user, [item])
    return item


def check_interview_date(case: Case, interviewed_on: date) -> None:
    """An interview is for this case: not before it was opened (or the case it
    was opened from, whose interviews it carries on), and not in the future."""
    opened = min(c.opened_at for c in (case, case.parent) if c is not None)
    earliest, today = clock.london(_utc(opened)).date(), clock.london(clock.now()).date()
    if not earliest <= interviewed_on <= today:
        raise InvalidInput(
            f"The interview date must be between {_day(earliest)}, when the case was opened, and today, {_day(today)}.",
            "interviewed_on",
        )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite hands times back without a zone


def _day(day: date) -> str:
    return day.strftime("%-d %B %Y")


WITNESS = "Witness"  # the party role of a colleague interviewed


def name_witness(ctx: Context, case: Case, user: User, person: User) -> None:
    """A colleague interviewed joins the case as its Witness, which gives
    them no view of it, whatever their role ("need to know"); nobody acting
    on the case, nor its subject, is also its witness."""
    if WITNESS not in registry.get(case.kind).roles:
        raise InvalidInput("This procedure names no witnesses: type who was interviewed.", "witness_id")
    if person.id == case.subject_id:
        raise InvalidInput(f"{person.name} is who the case is about: their account is not a witness's.", "witness_id")
    acting = sorted(p.role for p in case.parties if p.user_id == person.id and p.role != WITNESS)
    if acting:
        raise InvalidInput(
            f"{person.name} is on this case as {', '.join(acting)}: a witness must be someone else.", "witness_id"
        )
    if not any(p.user_id == person.id for p in case.parties):
        joined = add_party(case, person, WITNESS, Actor.person(user))
        audit.append(ctx.db, case.id, [joined, _tell_witness(ctx, case, person)])


# Told once, as they join: without it a witness would never know their statement can be read.
WITNESS_NOTICE = "witness_statement"


def _tell_witness(ctx: Context, case: Case, person: User) -> PendingEvent:
    with ctx.db.no_autoflush:
        sent_to = outbox.queue_to(ctx.db, case, WITNESS_NOTICE, [person], {}, ctx.settings.base_url)
    return PendingEvent("notification_queued", audit.SYSTEM, {"template": WITNESS_NOTICE, "to": sent_to})


def add_interview_note(
    ctx: Context,
    case: Case,
    user: User,
    witness: str,
    interviewed_on: date,
    notes: str,
    witness_person: User | None = None,
) -> InterviewNote:
    """Notes of an interview with a colleague (`witness_person`, who joins
    the case as a Witness) or with someone outside BCW Hub (`witness`, a name)."""
    check_can_add(ctx, case, user, "interview notes")
    check_interview_date(case, interviewed_on)
    if witness_person is not None:
        name_witness(ctx, case, user, witness_person)
        witness = witness_person.name
    elif not witness.strip():
        raise InvalidInput("Choose the colleague interviewed, or type the name of someone outside BCW Hub.", "witness")
    note = InterviewNote(
        case_id=case.id,
        witness_id=witness_person.id if witness_person else None,
        witness=witness.strip(),
        interviewed_on=interviewed_on,
        notes=notes.strip(),
        added_by_id=user.id,
        added_at=clock.now(),
    )
    ctx.db.add(note)
    ctx.db.flush()
    audit.record(
        ctx.db,
        case.id,
        "interview_recorded",
        Actor.person(user),
        {
            "note_id": note.id,
            "witness": note.witness,
            "witness_id": note.witness_id,
            "interviewed_on": interviewed_on.isoformat(),
            "notes": note.notes,
        },
    )
    return note


def own_statement(ctx: Context, case: Case, user: User) -> list[InterviewNote]:
    """What a witness may see of the case: the notes of their own interviews,
    nothing else (each view audited)."""
    if not any(p.user_id == user.id and p.role == WITNESS for p in case.parties):
        access.refuse(user, case, "opened the witness's statement page without being its witness")
    audit.record(ctx.db, case.id, "statement_viewed", Actor.person(user))
    return list(
        ctx.db.scalars(
            select(InterviewNote)
            .where(InterviewNote.case_id == case.id, InterviewNote.witness_id == user.id)
            .order_by(InterviewNote.interviewed_on, InterviewNote.id)
        )
    )


def open_letter(ctx: Context, user: User, letter_id: int, how: str) -> Letter:
    """A letter for its addressee or the case file's readers; every read audited."""
    letter = ctx.db.get(Letter, letter_id)
    if letter is None:
        raise NotFound("There is no such letter.")
    case = ctx.db.get(Case, letter.case_id)
    if not (user.id == letter.addressed_to_id or access.sees_case_file(user, case)):
        access.refuse(user, case, f"opened letter #{letter.id}")
    data = {"letter_id": letter.id, "title": letter.title, "as": reads.basis(user, case)}
    audit.record(ctx.db, case.id, f"letter_{how}", Actor.person(user), data)
    return letter


def copy_interview_notes(ctx: Context, earlier: Case, later: Case, user: User) -> list[InterviewNote]:
    """Carry an earlier case's interview notes onto the case opened from it
    (their witness, date and author kept), each copy audited."""
    notes = ctx.db.scalars(select(InterviewNote).where(InterviewNote.case_id == earlier.id).order_by(InterviewNote.id))
    copies = [
        InterviewNote(
            case_id=later.id,
            witness=n.witness,
            witness_id=n.witness_id,
            interviewed_on=n.interviewed_on,
            notes=n.notes,
            added_by_id=n.added_by_id,
            added_at=n.added_at,
        )
        for n in notes
    ]
    ctx.db.add_all(copies)
    ctx.db.flush()
    # The colleagues interviewed stay witnesses there: still no view of it.
    joined = [
        add_party(later, c.witness_person, WITNESS, Actor.person(user))
        for c in {c.witness_id: c for c in copies if c.witness_id}.values()
        if WITNESS in registry.get(later.kind).roles and not any(p.user_id == c.witness_id for p in later.parties)
    ]
    audit.append(
        ctx.db,
        later.id,
        joined
        + [
            PendingEvent(
                "interview_recorded",
                Actor.person(user),
                {
                    "note_id": c.id,
                    "witness": c.witness,
                    "interviewed_on": c.interviewed_on.isoformat(),
                    "notes": c.notes,
                    "from_case": earlier.reference,
                },
            )
            for c in copies
        ],
    )
    return copies
