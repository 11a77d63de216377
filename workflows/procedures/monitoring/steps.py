"""The monitoring finding's steps: HR's decision, the restriction's review,
the rules for a restriction's dates, and the referral to an investigation."""

from __future__ import annotations

from datetime import date

from workflows.engine import queries, workdays
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived, Step
from workflows.engine.signals import Referral, refer
from workflows.engine.stepdata import StepData, choice, choices, day, optional_choice, text

from .vocabulary import ACCESS_ACTIONS, DECISIONS, OCCASIONS, REVIEW_DECISIONS, TELLING, breach_choices

RESTRICT = ("restrict",)
NOT_TOLD = ("not_told",)
WHY_NOT_TOLD = "Record why telling them would prejudice an investigation."


class FindingDecision(StepData):
    decision = choice(DECISIONS, "Choose a decision.")
    decision_reasons = text(4000, required=True, min_length=10)
    access_action = optional_choice(ACCESS_ACTIONS)
    sites = text(2000)
    starts_on = day("Give the date the restriction starts.", required=False)
    ends_on = day("Give a date the restriction ends, or leave it blank.", required=False)
    review_on = day("Give the review date.", required=False)
    telling = optional_choice(TELLING)
    withholding_reason = text(4000)
    breach_clauses = choices(cid for cid, _label in breach_choices())
    required_when = {
        "access_action": ("decision", RESTRICT, "Say whether access is restricted, denied or removed."),
        "sites": ("decision", RESTRICT, "Say which sites, or all internet access."),
        "starts_on": ("decision", RESTRICT, "Give the date the restriction starts."),
        "review_on": ("decision", RESTRICT, "A restriction needs a review date."),
        "telling": ("decision", RESTRICT, "Say whether the person is told in writing."),
        "withholding_reason": ("telling", NOT_TOLD, WHY_NOT_TOLD),
        "breach_clauses": ("decision", ("investigate",), "Choose the rules the finding may have broken."),
    }


class RestrictionReview(StepData):
    review_decision = choice(REVIEW_DECISIONS, "Choose a decision.")
    review_reasons = text(4000, required=True, min_length=10)
    sites = text(2000)
    ends_on = day("Give a date the restriction ends, or leave it blank.", required=False)
    review_on = day("Give the next review date.", required=False)
    telling = choice(TELLING, "Say whether the person is told in writing.")
    withholding_reason = text(4000)
    required_when = {
        "sites": ("review_decision", ("keep",), "Say which sites, or all internet access."),
        "review_on": ("review_decision", ("keep",), "A restriction needs a review date."),
        "withholding_reason": ("telling", NOT_TOLD, WHY_NOT_TOLD),
    }


def date_problems(starts_on: str, ends_on: str | None, review_on: str) -> dict[str, list[str]]:
    """A restriction ends on or after it starts, and is reviewed after today,
    no earlier than it starts and no later than it ends."""
    start, review = date.fromisoformat(starts_on), date.fromisoformat(review_on)
    end = date.fromisoformat(ends_on) if ends_on else None
    problems = {}
    if end and end < start:
        problems["ends_on"] = ["The restriction cannot end before it starts."]
    if review <= workdays.today():
        problems["review_on"] = ["The review date must be after today."]
    elif review < start:
        problems["review_on"] = ["The review cannot come before the restriction starts."]
    elif end and review > end and "ends_on" not in problems:
        problems["review_on"] = ["Review it on or before the day it ends."]
    return problems


def _telling(case, earlier: dict, data: dict) -> Derived:
    """Once told, always told: a later letter follows each review. Telling
    names the person on the case, which is what lets them see it."""
    if earlier.get("person_told") and data["telling"] == "not_told":
        raise InvalidInput({"telling": ["They have already been told in writing, so they are told of this too."]})
    told = data["telling"] == "told"
    named = any(p.role == "Subject" for p in case.parties)
    parties = {"Subject": case.subject} if told and not named else {}
    return Derived(data={"person_told": told}, parties=parties)


def check_decision(ctx, case, user, data: dict) -> Derived:
    if data["decision"] != "restrict":
        return Derived()
    problems = date_problems(data["starts_on"], data["ends_on"], data["review_on"])
    if problems:
        raise InvalidInput(problems)
    return _telling(case, {}, data)


def check_review(ctx, case, user, data: dict) -> Derived:
    earlier = queries.case_data(case)
    if data["review_decision"] == "keep":
        problems = date_problems(earlier["starts_on"], data["ends_on"], data["review_on"])
        if problems:
            raise InvalidInput(problems)
    derived = _telling(case, earlier, data)
    if data["review_decision"] == "lift":
        return Derived(data={**derived.data, "lifted_on": workdays.today().isoformat()}, parties=derived.parties)
    return derived


def investigate_if_decided(ctx, case, user, data: dict) -> None:
    """HR chose an investigation: the breach procedure opens it, linked, through
    a referral (this procedure does not know that one)."""
    if data["decision"] != "investigate":
        return
    details = queries.case_data(case)
    refer(
        ctx,
        "breach_investigation",
        Referral(
            from_case=case,
            by=user,
            source="monitoring",
            clauses=sorted(data["breach_clauses"]),
            description=(
                f"Found by social media monitoring ({OCCASIONS[details['occasion']].lower()}), "
                f"monitoring finding {case.reference}: {details['found']}"
            ),
            relations=("investigation opened from this monitoring finding", "opened from this monitoring finding"),
        ),
    )


STEPS = {
    "finding_decision": Step(
        FindingDecision, check=check_decision, derives=("person_told",), follow_up=investigate_if_decided
    ),
    "restriction_review": Step(RestrictionReview, check=check_review, derives=("person_told", "lifted_on")),
}
