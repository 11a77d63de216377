"""Failures an operation reports to its caller in the users' words."""
from __future__ import annotations

from datetime import datetime


class OperationError(Exception):
    """Base class: the message is safe to show to the person who asked."""


class NotFound(OperationError):
    pass


class Forbidden(OperationError):
    pass


class InvalidInput(OperationError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class StepAlreadyDone(OperationError):
    """Someone (or a timer) finished this step first."""

    def __init__(self, step: str, by: str, at: datetime | None, outcome: str):
        self.step, self.by, self.at, self.outcome = step, by, at, outcome
        super().__init__(f"'{step}' was already {outcome} by {by}")
