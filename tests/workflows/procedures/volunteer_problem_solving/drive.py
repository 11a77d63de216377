"""Cases of volunteer problem-solving and of the Chair's referral with each
of their steps waiting (for the fuzzing and the matrix of who sees what)."""

from __future__ import annotations

from datetime import timedelta

from models import PersonType, Role
from tests.factories import make_user
from tests.workflows.helpers import complete
from tests.workflows.procedures.breach.drive import investigated, refer
from workflows.engine import clock


def every_step_waiting(ctx, hr, investigator, reporter) -> None:
    db = ctx.db
    staff = {"hr": hr, "investigator": investigator, "manager": reporter}
    volunteer = make_user(db, "Val Volunteer", person_type=PersonType.VOLUNTEER)
    trustee = make_user(db, "Toby Trustee", person_type=PersonType.TRUSTEE)
    make_user(db, "Cara Chair", person_type=PersonType.TRUSTEE, roles=(Role.CHAIR,))
    refer(ctx, investigated(ctx, staff, trustee), staff)  # the Chair's decision waits
    for last in (
        "vps_coordinator",
        "vps_arrange",
        "vps_conversation",
        "vps_review_request",
        "vps_reviewer",
        "vps_review",
    ):
        _problem_solving_to(ctx, refer(ctx, investigated(ctx, staff, volunteer), staff), staff, trustee, last)


def _problem_solving_to(ctx, case, staff, reviewer, last: str) -> None:
    """Run the case until the step `last` waits."""
    steps = [
        ("vps_coordinator", "UserTask_ChooseCoordinator", staff["hr"], {"coordinator_id": staff["investigator"].id}),
        (
            "vps_arrange",
            "UserTask_Arrange",
            staff["investigator"],
            {
                "conversation_at": (clock.now() + timedelta(hours=1)).isoformat(),
                "place": "The Hub",
                "invitation_message": "",
            },
        ),
        (
            "vps_conversation",
            "UserTask_Conversation",
            staff["investigator"],
            {
                "supporter": "",
                "conversation_notes": "We talked it through.",
                "outcome": "guidance_support",
                "outcome_reasons": "Guidance is enough here.",
                "new_role": "",
            },
        ),
        ("vps_review_request", "UserTask_AskReview", case.subject, {"review_choice": "ask", "review_grounds": "Once."}),
        ("vps_reviewer", "UserTask_ChooseReviewer", staff["hr"], {"reviewer_id": reviewer.id}),
    ]
    for form, bpmn_id, user, data in steps:
        if form == last:
            return
        with clock.stopped_at(clock.now() + timedelta(hours=2 if form == "vps_conversation" else 0)):
            complete(ctx, case, bpmn_id, user, **data)
