"""Signals that let one procedure start another without importing it
(as Indico's modules do): the requesting procedure sends, the procedure that
handles the request subscribes, keyed by the kind of case it opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blinker import Namespace

from .errors import ProcedureError

if TYPE_CHECKING:
    from models import Case, Evidence, User

    from .context import Context

_signals = Namespace()

referral_made = _signals.signal(
    "referral-made",
    doc="""
A case asks for a linked case of another kind. Sent with that kind as the
sender and `ctx` and `referral` as keywords; the subscriber opens the case
and returns it. Subscribe with `referral_made.connect(fn, sender=<kind>)`.
""",
)


@dataclass
class Referral:
    """What a case passes on to the one it asks for."""

    from_case: Case
    by: User
    source: str  # how the matter came to light, in the receiving procedure's words
    clauses: list[str]
    description: str
    reported_by: User | None = None
    evidence: list[Evidence] = field(default_factory=list)
    # What else the new case starts from (findings, statements), in the
    # receiving procedure's data names.
    details: dict = field(default_factory=dict)
    # What each case's trail says about the other: (on from_case, on the new case).
    relations: tuple[str, str] = ("case opened from this one", "opened from this case")


def refer(ctx: Context, kind: str, referral: Referral) -> Case:
    """Open the linked case through its procedure's subscriber; exactly one
    must answer, or the referral would silently go nowhere."""
    answers = [case for _receiver, case in referral_made.send(kind, ctx=ctx, referral=referral) if case is not None]
    if len(answers) != 1:
        raise ProcedureError(
            f"{len(answers)} procedures answered a referral to {kind!r}; "
            "exactly one must subscribe to referral_made for it"
        )
    return answers[0]
