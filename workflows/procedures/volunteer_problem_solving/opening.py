"""Opening volunteer problem-solving: from a breach investigation's referral
of a volunteer, linked both ways, with what the investigation found."""

from __future__ import annotations

import os
from dataclasses import dataclass

from models import Case, PersonType, User
from workflows.engine.cases import link, open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import attach_evidence
from workflows.engine.signals import Referral, referral_made

KIND = "volunteer_problem_solving"
CARRIED = ("facts_found", "clauses_breached", "mitigation", "account_statement")
START_DATA = ("opened_from", "concern", *CARRIED, "record_reminder_days", "review_days")


@dataclass(frozen=True)
class Timings:
    """Days the organisation chooses; a case keeps those it started under."""

    record_reminder_days: int = 2  # calendar days after the conversation before the coordinator is reminded
    review_days: int = 10  # working days the volunteer has to ask for a review

    @classmethod
    def from_environment(cls) -> Timings:
        defaults = cls()
        return cls(
            record_reminder_days=int(os.environ.get("VOLUNTEER_RECORD_REMINDER_DAYS", defaults.record_reminder_days)),
            review_days=int(os.environ.get("VOLUNTEER_REVIEW_DAYS", defaults.review_days)),
        )


TIMINGS = Timings.from_environment()


def open_problem_solving(ctx: Context, hr_user: User, referral: Referral) -> Case:
    volunteer = referral.from_case.subject
    if volunteer.person_type != PersonType.VOLUNTEER:
        raise InvalidInput(
            f"{volunteer.name} is a {volunteer.person_type}: volunteer problem-solving is for volunteers.", "outcome"
        )
    parties = {"HR": hr_user, "Volunteer": volunteer}
    if referral.reported_by is not None and referral.reported_by.id != volunteer.id:
        parties["Reporter"] = referral.reported_by
    case = open_case(
        ctx,
        KIND,
        parent=referral.from_case,
        title=f"Volunteer problem-solving: {volunteer.name}",
        subject=volunteer,
        opened_by=hr_user,
        clauses=referral.clauses,
        parties=parties,
        start_data={
            "opened_from": referral.from_case.reference,
            "concern": referral.description,
            **{name: referral.details.get(name) for name in CARRIED},
            "record_reminder_days": TIMINGS.record_reminder_days,
            "review_days": TIMINGS.review_days,
        },
    )
    attach_evidence(ctx, case, hr_user, referral.evidence)
    return case


@referral_made.connect_via(KIND)
def open_on_referral(_kind, *, ctx: Context, referral: Referral) -> Case:
    """An investigation referred a volunteer: open the case linked both ways."""
    case = open_problem_solving(ctx, referral.by, referral)
    link(ctx, referral.from_case, case, referral.by, referral.relations)
    return case
