"""The breach investigation's steps: their data, and who may investigate."""

from __future__ import annotations

from marshmallow import post_load
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Case, Role, User
from workflows.engine import queries
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import copied
from workflows.engine.registry import Derived, KeptOff, Step
from workflows.engine.signals import Referral, refer
from workflows.engine.stepdata import StepData, choice, choices, flag, number, person, text

from . import during
from .vocabulary import (
    ACCOUNT_CHOICES,
    ICO_DECISIONS,
    OUTCOMES,
    RECOMMENDATIONS,
    REFERRALS,
    REFERRED_TO,
    SEVERITIES,
    SUSPENSION_DECISIONS,
    alleged_clauses,
    outcomes_for,
)


class Triage(StepData):
    severity = choice(SEVERITIES, "Choose a severity.")
    personal_data_published = flag("Say whether personal data was published.")
    suspension_needed = flag("Say whether a suspension is needed.")
    suspension_reason = text(2000)
    investigator_id = person("Choose an investigator.")
    manager_conflict_reason = text(2000)
    required_when = {"suspension_reason": ("suspension_needed", (True,), "Give the reason for suspension.")}


class DataBreachAssessment(StepData):
    ico_decision = choice(ICO_DECISIONS, "Record the decision.")
    ico_reasons = text(4000, required=True, min_length=10)
    ico_reference = text(200)


class SuspensionReview(StepData):
    suspension_decision = choice(SUSPENSION_DECISIONS, "Choose a decision.")
    suspension_review_reasons = text(4000, required=True, min_length=10)


class InvestigationInvite(StepData):
    account_days = number(1, 30)
    invitation_message = text(2000)


class SubjectAccount(StepData):
    account_choice = choice(ACCOUNT_CHOICES, "Choose whether you want to give an account.")
    account_statement = text(20000)
    required_when = {"account_statement": ("account_choice", ("give",), "Write your statement.")}
    derived = ("account_given",)

    @post_load
    def _given(self, data: dict, **_kwargs) -> dict:
        return {**data, "account_given": data["account_choice"] == "give"}


class Findings(StepData):
    facts_found = text(20000, required=True, min_length=20)
    clauses_breached = choices(cid for cid, _label in alleged_clauses())
    mitigation = text(8000)
    recommendation = choice(RECOMMENDATIONS, "Choose a recommendation.")


class Outcome(StepData):
    outcome = choice(OUTCOMES, "Choose an outcome.")
    outcome_reasons = text(8000, required=True, min_length=10)
    informal_action = text(4000)
    investigator_decides_reason = text(4000)  # only the investigator's own decision needs it
    required_when = {"informal_action": ("outcome", ("informal_action",), "Describe the informal action.")}


def investigator_choices(ctx: Context, case: Case) -> list[User]:
    """HR users and managers who may investigate: never the subject or the reporter."""
    excluded = {case.subject_id} | {p.user_id for p in case.parties if p.role == "Reporter"}
    people = ctx.db.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name).options(selectinload(User.role_rows))
    )
    return [u for u in people if u.id not in excluded and u.has_role(Role.HR, Role.MANAGER)]


def check_triage(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    """Refuse an investigator who may not act; name the one chosen. A line
    manager may investigate only with a recorded reason (small teams)."""
    investigator = ctx.db.get(User, data["investigator_id"])
    if investigator is None or investigator not in investigator_choices(ctx, case):
        raise InvalidInput(
            "Choose an HR officer or manager who is neither the subject nor the person who reported it.",
            "investigator_id",
        )
    manages = case.subject.line_manager_id == investigator.id
    if manages and not data["manager_conflict_reason"]:
        raise InvalidInput(
            f"{investigator.name} is {case.subject.name}'s line manager. Choose someone "
            "else, or record why they should investigate.",
            "manager_conflict_reason",
        )
    return Derived(
        data={"investigator_manages_subject": manages, "investigator_name": investigator.name},
        parties={"Investigator": investigator},
    )


# What the investigation passes on to the procedure it refers to.
PASSED_ON = ("facts_found", "clauses_breached", "recommendation", "mitigation", "account_statement")


def suspension_in_force(ctx: Context, case: Case, found: dict) -> dict:
    """Whether the subject is still suspended: told so in writing (at triage
    or later), and not told since that it ended. (The review loop runs on a
    side branch, so its last decision is not in the main line's data; the
    letters are the record.)"""
    notices = [letter for letter in queries.letters(ctx.db, case) if letter.kind == "suspension_notice"]
    live = during.suspension_live(ctx, case)
    return {
        "suspension_live": live,
        "suspended_since": notices[-1].issued_at.date().isoformat() if live else None,
        "suspension_reason": found.get("suspended_for") if live else None,
    }


def check_outcome(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    """Not while personal data found during the investigation awaits its ICO
    decision; and a referral goes to the subject's own procedure (the
    disciplinary one for an employee only [SMP-2])."""
    waiting = during.assessment_waiting(case)
    if waiting:
        raise InvalidInput(
            f"'{waiting}' is still to be recorded: the ICO decision comes before the outcome.", "outcome"
        )
    person_type = case.subject.person_type
    if data["outcome"] not in outcomes_for(person_type):
        _value, label = REFERRALS[person_type]
        raise InvalidInput(f'{case.subject.name} is a {person_type}: choose "{label}" to refer them.', "outcome")
    # What a referral passes on; the outcome ends the review loop that knows it.
    return Derived(data={"suspended_for": during.live_suspension_reason(case)})


# How each case's trail names the other, by the procedure referred to.
RELATIONS = {
    "disciplinary": ("disciplinary case opened from this investigation", "opened from this investigation"),
    "volunteer_problem_solving": (
        "volunteer problem-solving opened from this investigation",
        "opened from this investigation",
    ),
    "trustee_referral": ("referral to the Chair opened from this investigation", "opened from this investigation"),
}


def refer_if_decided(ctx: Context, case: Case, user: User, data: dict) -> None:
    """HR referred the subject: their own procedure (disciplinary for an
    employee, problem-solving for a volunteer, the Chair for a trustee) opens
    the linked case with the findings, the evidence (all of it disclosed to
    them now) and the statements."""
    kind = REFERRED_TO.get(data["outcome"])
    if kind is None:
        return
    found = queries.case_data(case)
    evidence = [
        copied(item, item.description or f"From investigation {case.reference}", shared=True)
        for item in queries.case_evidence(ctx.db, case)
    ]
    precaution = suspension_in_force(ctx, case, found)
    refer(
        ctx,
        kind,
        Referral(
            from_case=case,
            by=user,
            source="investigation",
            clauses=found.get("clauses_breached") or case.clauses,
            description=found.get("description", ""),
            reported_by=next((p.user for p in case.parties if p.role == "Reporter"), None),
            evidence=evidence,
            details={name: found.get(name) for name in PASSED_ON}
            | precaution
            | {"stepped_back": precaution["suspension_live"]},
            relations=RELATIONS[kind],
        ),
    )


STEPS = {
    "breach_triage": Step(Triage, check=check_triage, derives=("investigator_manages_subject", "investigator_name")),
    "data_breach_assessment": Step(DataBreachAssessment),
    "suspension_review": Step(SuspensionReview),
    "investigation_invite": Step(InvestigationInvite),
    "subject_account": Step(SubjectAccount),
    "findings": Step(Findings),
    # Whoever established the facts does not also judge them, unless nobody else can (with a reason).
    "breach_outcome": Step(
        Outcome,
        check=check_outcome,
        derives=("suspended_for",),
        follow_up=refer_if_decided,
        kept_off=KeptOff({"Investigator": "investigated this case"}, override="investigator_decides_reason"),
    ),
}
