"""Failures an operation reports to its caller in the users' words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class OperationError(Exception):
    """Base class: the message is safe to show to the person who asked."""


class NotFound(OperationError):
    pass


@dataclass(frozen=True)
class Refusal:
    """What a refused person tried: recorded by whoever owns the transaction,
    after rolling back anything the refused operation had done."""

    user_id: int
    user_label: str
    case_id: int | None
    attempted: str


class Forbidden(OperationError):
    def __init__(self, message: str, refusal: Refusal | None = None):
        super().__init__(message)
        self.refusal = refusal


class InvalidInput(OperationError):
    """Data an operation will not take. `errors` maps field names to
    messages ("" for the form as a whole), so a page can show each beside
    its field and an API can return them as they are."""

    def __init__(self, message: str | dict[str, list[str]], field: str | None = None):
        if isinstance(message, dict):
            self.errors = {name: list(messages) for name, messages in message.items()}
        else:
            self.errors = {field or "": [message]}
        first = next(iter(self.errors.values()), [""])
        super().__init__(first[0] if first else "")

    @property
    def field(self) -> str | None:
        return next(iter(self.errors), None) or None


class StepAlreadyDone(OperationError):
    """Someone (or a timer) finished this step first."""

    def __init__(self, step: str, by: str, at: datetime | None, outcome: str):
        self.step, self.by, self.at, self.outcome = step, by, at, outcome
        super().__init__(f"'{step}' was already {outcome} by {by}")


class ProcedureError(Exception):
    """A procedure or its diagram does not fit the engine: a bug in the
    repository, never the user's doing. The message names the diagram and
    element at fault."""
