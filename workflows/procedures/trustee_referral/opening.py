"""Opening a referral to the Chair of the board: from a breach
investigation's referral of a trustee, linked both ways."""

from __future__ import annotations

import os

from models import Case, PersonType
from workflows.engine.cases import link, open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import attach_evidence
from workflows.engine.signals import Referral, referral_made

KIND = "trustee_referral"
CARRIED = ("facts_found", "clauses_breached", "mitigation", "account_statement", "stepped_back")
START_DATA = ("opened_from", "concern", *CARRIED, "decide_days")
# Working days the board has before the Chair and HR are reminded (a setting).
DECIDE_DAYS = int(os.environ.get("TRUSTEE_DECIDE_DAYS", "20"))


def open_trustee_referral(ctx: Context, referral: Referral) -> Case:
    trustee = referral.from_case.subject
    if trustee.person_type != PersonType.TRUSTEE:
        raise InvalidInput(f"{trustee.name} is a {trustee.person_type}: only a trustee goes to the Chair.", "outcome")
    parties = {"HR": referral.by, "Trustee": trustee}
    if referral.reported_by is not None and referral.reported_by.id != trustee.id:
        parties["Reporter"] = referral.reported_by
    case = open_case(
        ctx,
        KIND,
        parent=referral.from_case,
        title=f"Referral to the Chair: {trustee.name}",
        subject=trustee,
        opened_by=referral.by,
        clauses=referral.clauses,
        parties=parties,
        start_data={
            "opened_from": referral.from_case.reference,
            "concern": referral.description,
            **{name: referral.details.get(name) for name in CARRIED},
            "decide_days": DECIDE_DAYS,
        },
    )
    attach_evidence(ctx, case, referral.by, referral.evidence)
    return case


@referral_made.connect_via(KIND)
def open_on_referral(_kind, *, ctx: Context, referral: Referral) -> Case:
    """An investigation referred a trustee: open the case linked both ways."""
    case = open_trustee_referral(ctx, referral)
    link(ctx, referral.from_case, case, referral.by, referral.relations)
    return case
