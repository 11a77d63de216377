"""The takedown request's steps: their data, the escalation follow-up, and
what its notices say."""

from __future__ import annotations

from models import Evidence
from workflows import policy
from workflows.engine import queries
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import copied
from workflows.engine.outbox import format_london
from workflows.engine.registry import Derived, KeptOff, Step
from workflows.engine.signals import Referral, refer
from workflows.engine.stepdata import StepData, choice, confirmation, text

RESPONSES = {
    "removed": "I have removed the content",
    "dispute": "I dispute this request",
    "refuse": "I will not remove it",
}
VERIFICATIONS = {
    "removed": "Checked: the content has been removed",
    "still_visible": "The content is still visible",
}
REVIEW_DECISIONS = {
    "withdraw": "Withdraw the request",
    "uphold": "Uphold it: send a final notice",
    "escalate": "Escalate: decide on a breach investigation",
}
ESCALATION_DECISIONS = {
    "open_investigation": "Open a breach investigation",
    "no_further_action": "Close with no further action",
}
# Why a request was escalated, as the diagram's scripts record it.
ESCALATION_REASONS = {
    "deadline_passed": "the deadline passed without a response",
    "refused": "the person refused to remove the content",
    "still_visible_after_final_notice": "the content was still visible after a final notice",
    "escalated_by_hr": "HR escalated it when reviewing the dispute",
}


class TakedownResponse(StepData):
    response = choice(RESPONSES, "Choose your response.")
    confirmation = text(2000)
    dispute_grounds = text(4000)
    required_when = {"dispute_grounds": ("response", ("dispute", "refuse"), "Tell us your reasons.")}


class TakedownVerification(StepData):
    verification = choice(VERIFICATIONS, "Say whether the content is gone.")
    verification_notes = text(4000)
    required_when = {"verification_notes": ("verification", ("still_visible",), "Say where it is still visible.")}


class DisputeReview(StepData):
    review_decision = choice(REVIEW_DECISIONS, "Choose a decision.")
    review_reasons = text(4000, required=True, min_length=10)
    proportionality_considered = confirmation("Confirm the proportionality assessment.")


class EscalationDecision(StepData):
    escalation_decision = choice(ESCALATION_DECISIONS, "Choose a decision.")
    escalation_reasons = text(4000, required=True, min_length=10)


def investigate_if_decided(ctx, takedown, user, data: dict) -> None:
    """HR chose to investigate an escalated takedown: the breach procedure
    opens the linked case, pre-filled with the request and its evidence."""
    if data["escalation_decision"] != "open_investigation":
        return
    details = queries.case_data(takedown)
    requester = next((p.user for p in takedown.parties if p.role == "Requester"), takedown.opened_by)
    evidence = [copied(item, f"From takedown {takedown.reference}") for item in queries.case_evidence(ctx.db, takedown)]
    evidence += [
        Evidence(
            kind="url",
            url=url,
            description="Content named in the takedown request",
            shared_with_subject=True,
            added_by_id=requester.id,
            added_at=takedown.opened_at,
        )
        for url in details.get("urls", [])
    ]
    reason = details.get("escalation_reason", "escalated")
    refer(
        ctx,
        "breach_investigation",
        Referral(
            from_case=takedown,
            by=user,
            source="takedown_escalation",
            clauses=sorted(set(takedown.clauses) | {"SMP-5.8"}),
            description=(
                f"Escalated from takedown request {takedown.reference} ({reason}). "
                f"Reasons given: {details.get('reasons', '')}"
            ),
            reported_by=requester,
            evidence=evidence,
            relations=("investigation opened from this takedown", "opened from this escalated takedown"),
        ),
    )


def responses_open(known: dict) -> tuple[str, ...]:
    """What the person may answer: a dispute, unless HR has already ruled on
    theirs (its final notice leaves removing or refusing). A final notice
    because the content was still visible still offers the dispute it
    promises: nobody has heard their side yet."""
    if known.get("notice_kind") == "final" and known.get("review_decision") == "uphold":
        return ("removed", "refuse")
    return ("removed", "dispute")


def check_response(ctx, case, user, data: dict) -> Derived:
    """A second dispute after HR has ruled on the first is refused (refusing
    outright stays possible at any notice: it escalates to HR)."""
    if data["response"] == "dispute" and "dispute" not in responses_open(queries.case_data(case)):
        raise InvalidInput(
            "HR has already reviewed your dispute and upheld the request: remove the content, or refuse.", "response"
        )
    return Derived()


# HR's review of a dispute, and decision on an escalation, are never the
# requester's own: they would judge their own request.
NOT_THE_REQUESTER = KeptOff({"Requester": "asked for this takedown"})


STEPS = {
    "takedown_response": Step(TakedownResponse, check=check_response),
    "takedown_verification": Step(TakedownVerification),
    "dispute_review": Step(DisputeReview, kept_off=NOT_THE_REQUESTER),
    "escalation_decision": Step(EscalationDecision, follow_up=investigate_if_decided, kept_off=NOT_THE_REQUESTER),
}


def notice_context(case, recipient, data: dict) -> dict:
    deadline = data.get("deadline_at")
    return {
        "requester": next((p.user for p in case.parties if p.role == "Requester"), case.opened_by),
        "deadline": format_london(deadline) if deadline else "",
        "escalation_reason": ESCALATION_REASONS.get(data.get("escalation_reason", ""), "not recorded"),
        "clauses": policy.quoted(case.clauses),
        "smp58": policy.clause("SMP-5.8").text,
    }
