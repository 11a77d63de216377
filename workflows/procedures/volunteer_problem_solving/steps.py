"""Volunteer problem-solving's steps: their data, and who may act. The
coordinator is the volunteer's line manager or another manager; the review
is by the Hub Manager or a trustee, never anyone involved in the case."""

from __future__ import annotations

from datetime import datetime

from marshmallow import post_load
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Case, PersonType, Role, User
from workflows.engine import clock, queries
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.outbox import format_london
from workflows.engine.registry import Derived, Step
from workflows.engine.stepdata import StepData, choice, moment, optional_choice, person, text

from .vocabulary import OUTCOMES, REVIEW_DECISIONS, REVIEW_REQUEST


class ChooseCoordinator(StepData):
    coordinator_id = person("Choose the volunteer coordinator.")


class ArrangeConversation(StepData):
    conversation_at = moment("Give the date and time of the conversation.")
    place = text(300, required="Say where the conversation will be.")
    invitation_message = text(2000)


class RecordConversation(StepData):
    supporter = text(200)
    conversation_notes = text(8000, required="Write what was talked about.", min_length=10)
    outcome = choice(OUTCOMES, "Choose the outcome.")
    outcome_reasons = text(4000, required="Give the reasons: the volunteer is told them.", min_length=10)
    new_role = text(1000)
    required_when = {"new_role": ("outcome", ("change_of_role",), "Describe the new role.")}


class AskForReview(StepData):
    review_choice = choice(REVIEW_REQUEST, "Say whether you would like a review.")
    review_grounds = text(4000)
    required_when = {"review_grounds": ("review_choice", ("ask",), "Say why you would like a review.")}
    derived = ("review_wanted",)

    @post_load
    def _wanted(self, data: dict, **_kwargs) -> dict:
        return {**data, "review_wanted": data["review_choice"] == "ask"}


class ChooseReviewer(StepData):
    reviewer_id = person("Choose who reviews the outcome.")


class Review(StepData):
    review_decision = choice(REVIEW_DECISIONS, "Choose whether the outcome stands.")
    review_outcome = optional_choice(OUTCOMES)
    review_reasons = text(4000, required="Give the reasons: the volunteer is told them.", min_length=10)
    required_when = {"review_outcome": ("review_decision", ("change",), "Choose the outcome that replaces it.")}


def _active_people(ctx: Context) -> list[User]:
    return list(
        ctx.db.scalars(
            select(User).where(User.active.is_(True)).order_by(User.name).options(selectinload(User.role_rows))
        )
    )


def _reporters(case: Case) -> set[int]:
    return {p.user_id for p in case.parties if p.role == "Reporter"}


def coordinator_choices(ctx: Context, case: Case) -> list[User]:
    """The volunteer's line manager first, then the other managers; never
    the volunteer or whoever reported the concern."""
    excluded = {case.subject_id} | _reporters(case)
    line_manager = case.subject.line_manager_id
    found = [
        u
        for u in _active_people(ctx)
        if u.id not in excluded and (u.id == line_manager or u.has_role(Role.MANAGER, Role.HUB_MANAGER))
    ]
    return sorted(found, key=lambda u: u.id != line_manager)


def check_coordinator(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    chosen = ctx.db.get(User, data["coordinator_id"])
    if chosen is None or chosen not in coordinator_choices(ctx, case):
        raise InvalidInput(
            f"Choose {case.subject.name}'s line manager or another manager, who did not report the concern.",
            "coordinator_id",
        )
    return Derived(
        data={
            "coordinator_name": chosen.name,
            "coordinator_is_line_manager": chosen.id == case.subject.line_manager_id,
        },
        parties={"Volunteer coordinator": chosen},
    )


def check_arrangement(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    if datetime.fromisoformat(data["conversation_at"]) <= clock.now():
        raise InvalidInput("The conversation must be arranged for a time still to come.", "conversation_at")
    return Derived()


def check_conversation(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    held_at = queries.case_data(case).get("conversation_at")
    if held_at and datetime.fromisoformat(held_at) > clock.now():
        raise InvalidInput(
            "The conversation has not happened yet: record it once it has taken place.", "conversation_notes"
        )
    return Derived()


def involved(ctx: Context, case: Case) -> set[int]:
    """Everyone named on this case or the case it came from (the
    investigation): none of them may review."""
    cases = [case] + ([case.parent] if case.parent is not None else [])
    return {p.user_id for c in cases for p in c.parties} | {case.subject_id}


def reviewer_choices(ctx: Context, case: Case) -> list[User]:
    """The Hub Manager or a trustee, not involved in the case."""
    excluded = involved(ctx, case)
    return [
        u
        for u in _active_people(ctx)
        if u.id not in excluded and (u.has_role(Role.HUB_MANAGER) or u.person_type == PersonType.TRUSTEE)
    ]


def check_reviewer(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    chosen = ctx.db.get(User, data["reviewer_id"])
    if chosen is not None and chosen.id in involved(ctx, case):
        raise InvalidInput(
            f"{chosen.name} is involved in the case: the review must be by someone who is not.", "reviewer_id"
        )
    if chosen is None or chosen not in reviewer_choices(ctx, case):
        raise InvalidInput("Choose the Hub Manager or a trustee.", "reviewer_id")
    return Derived(data={"reviewer_name": chosen.name}, parties={"Reviewer": chosen})


STEPS = {
    "vps_coordinator": Step(
        ChooseCoordinator, check=check_coordinator, derives=("coordinator_name", "coordinator_is_line_manager")
    ),
    "vps_arrange": Step(ArrangeConversation, check=check_arrangement),
    "vps_conversation": Step(RecordConversation, check=check_conversation),
    "vps_review_request": Step(AskForReview),
    "vps_reviewer": Step(ChooseReviewer, check=check_reviewer, derives=("reviewer_name",)),
    "vps_review": Step(Review),
}


def words(*_args) -> dict:
    """What the letters and notices need beyond the case's data."""
    return {"outcomes": OUTCOMES, "when": lambda iso: format_london(iso) if iso else ""}
