"""The Chair's step: recording what the board decided, under the governing
document."""

from __future__ import annotations

from datetime import date

from models import Case, Role, User
from workflows.engine import clock, workdays
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived, Step
from workflows.engine.stepdata import StepData, choice, day, text

from .vocabulary import BOARD_DECISIONS


class BoardDecision(StepData):
    board_met_on = day("Give the date the board decided, as day, month and year.")
    board_decision = choice(BOARD_DECISIONS, "Choose what the board decided.")
    decision_reasons = text(8000, required="Give the board's reasons: the trustee is told them.", min_length=10)
    governing_document_provision = text(500)
    required_when = {
        "governing_document_provision": (
            "board_decision",
            ("removal",),
            "Name the provision of the governing document the removal is made under.",
        )
    }


def check_decision(ctx: Context, case: Case, user: User, data: dict) -> Derived:
    """The board decided on a day the case could have: not before it was
    referred, not in the future. The Chair may not decide about a concern
    they reported."""
    met_on = date.fromisoformat(data["board_met_on"])
    opened_on = clock.london(case.opened_at).date()
    today = clock.london(clock.now()).date()
    if not opened_on <= met_on <= today:
        raise InvalidInput(
            f"Give a date from {opened_on:%-d %B %Y}, when the case was referred, to today.", "board_met_on"
        )
    if any(p.role == "Reporter" and p.user_id == user.id for p in case.parties):
        raise InvalidInput("You reported this concern: another trustee should record the board's decision.")
    # A trustee standing in for a Chair kept out of the case signs as acting Chair.
    return Derived(data={"chair_name": user.name, "chair_acting": not user.has_role(Role.CHAIR)})


STEPS = {"trustee_board_decision": Step(BoardDecision, check=check_decision, derives=("chair_name", "chair_acting"))}


def chair_title(data: dict) -> str:
    return "Acting Chair of the board for this case" if data.get("chair_acting") else "Chair of the board"


def words(*_args) -> dict:
    """What letters need beyond the case's data."""
    return {
        "decisions": BOARD_DECISIONS,
        "long_date": lambda iso: workdays.long_date(date.fromisoformat(iso)),
        "chair_title": chair_title,
    }


def notice_words(_case: Case, recipient: User, _data: dict) -> dict:
    """And notices: whether their recipient stands in for a Chair kept out."""
    return {**words(), "stands_in": not recipient.has_role(Role.CHAIR)}
