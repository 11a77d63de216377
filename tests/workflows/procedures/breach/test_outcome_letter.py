"""The informal outcome's letter says which of the alleged clauses the
investigation found breached, each quoted verbatim, not only those alleged."""

from __future__ import annotations

from sqlalchemy import select

from models import Letter
from workflows import policy
from workflows.procedures.breach.opening import BreachReport, open_breach

from ...helpers import complete
from .test_paths import investigate, people, triage  # noqa: F401


def test_the_informal_outcome_letter_lists_the_clauses_found_breached(ctx, db, people):  # noqa: F811
    report = BreachReport(
        subject=people["employee"],
        source="manager_report",
        clauses=["SMP-5.5", "SMP-5.6"],  # alleged; the findings breach SMP-5.5 only
        description="Posted a photo of a service user, with a remark about them.",
        reported_by=people["manager"],
    )
    case = open_breach(ctx, people["hr"], report)
    triage(ctx, case, people)
    investigate(ctx, db, case, people)
    complete(
        ctx,
        case,
        "UserTask_Outcome",
        people["hr"],
        outcome="informal_action",
        outcome_reasons="Breach found but mitigated.",
        informal_action="Data protection training.",
    )
    body = db.scalar(select(Letter.body).where(Letter.case_id == case.id, Letter.kind == "outcome_informal"))
    found = body.split("The investigation found that you breached:", 1)[1].split("\n\n", 1)[0]
    assert "[SMP-5.5]" in found and policy.clause("SMP-5.5").text in found
    assert "SMP-5.6" not in found
