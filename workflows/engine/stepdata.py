"""Typed data contracts for steps, written with marshmallow.

A procedure declares each step's data once, as a `StepData` schema; the
operation that completes the step loads the submitted data through it, so
the web form and an API get the same check and the same messages. The
messages are written for the person filling in the form.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from . import clock
from .errors import InvalidInput

REQUIRED = "This field is required."
NOT_A_WHOLE_NUMBER = "Enter a whole number, such as 7."


class StepData(Schema):
    """A step's data contract.

    Unknown fields are refused: an API caller's misspelt field must not pass
    as if it were never sent. `required_when` maps a field to (other field,
    answers of it, message): the field is needed only for those answers.
    `derived` names data that a `post_load` hook adds.
    """

    class Meta:
        unknown = RAISE

    required_when: ClassVar[dict[str, tuple[str, tuple, str]]] = {}
    derived: ClassVar[tuple[str, ...]] = ()

    @validates_schema(skip_on_field_errors=False, pass_original=True)  # say everything missing at once
    def _check_required_when(self, data: dict, original: dict, **_kwargs) -> None:
        missing = {
            name: [message]
            for name, (other, answers, message) in self.required_when.items()
            if data.get(other) in answers and not data.get(name) and not _refused_on_its_own(name, data, original)
        }
        if missing:
            raise ValidationError(missing)


def _refused_on_its_own(name: str, data: dict, original) -> bool:
    """Given, but refused by its own check (too long): that message says it, not "required"."""
    given = original.get(name) if isinstance(original, dict) else None
    return name not in data and isinstance(given, str) and bool(given.strip())


class Text(fields.String):
    """Free text, trimmed; null reads as blank."""

    def deserialize(self, value: Any, attr=None, data=None, **kwargs):
        return super().deserialize("" if value is None else value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


def too_long(max_length: int, length: int) -> str:
    """Said when text is over its limit: it is refused, never cut to fit."""
    return f"At most {max_length:,} characters: this has {length:,}. Please shorten it (nothing was cut)."


class MaxLength(validate.Validator):
    """Refuses text over `max_length`, saying by how much."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def __call__(self, value: str) -> str:
        if len(value) > self.max_length:
            raise ValidationError(too_long(self.max_length, len(value)))
        return value


def text(max_length: int, *, required: str | bool = False, min_length: int = 0) -> Text:
    """Free text of at most `max_length` characters (`Text.max_length`, which a
    page shows beside the field). `required` (True, or the message to show)
    refuses a blank answer; `min_length` a short one."""
    message = REQUIRED if required is True else required
    checks = []
    if message:
        checks.append(validate.Length(min=1, error=message))
    if min_length:
        checks.append(
            validate.Length(
                min=min_length, error=f"Field must be between {min_length} and {max_length} characters long."
            )
        )
    checks.append(MaxLength(max_length))
    if message:
        field = Text(required=True, validate=checks, error_messages={"required": message, "invalid": message})
    else:
        field = Text(load_default="", validate=checks)
    field.max_length = max_length
    return field


def limits(contract: type[Schema]) -> dict[str, int]:
    """Each text field's limit, by name: for a page to show (and count) it."""
    return {
        name: field.max_length
        for name, field in _schema(contract).fields.items()
        if getattr(field, "max_length", None) is not None
    }


def choice(answers: Iterable[str], message: str) -> fields.String:
    """One of `answers` (a dict's values are their words, which `answer_words` gives
    back); `message` asks for a choice when none (or no known one) is given."""
    labels = list(answers.values()) if isinstance(answers, dict) else None
    return fields.String(
        required=True,
        validate=validate.OneOf(list(answers), labels=labels, error=message),
        error_messages={"required": message, "null": message, "invalid": message},
    )


class OptionalAnswer(fields.String):
    """An answer that may be left out: null and blank both read as ""."""

    def deserialize(self, value: Any, attr=None, data=None, **kwargs):
        return super().deserialize("" if value is None else value, attr, data, **kwargs)


def optional_choice(answers: Iterable[str]) -> OptionalAnswer:
    return OptionalAnswer(load_default="", validate=validate.OneOf(["", *answers], error="Not a valid choice."))


def flag(message: str) -> fields.Boolean:
    """A yes or no answer (true/false, or the words yes/no from a form)."""
    return fields.Boolean(required=True, error_messages={"required": message, "null": message, "invalid": message})


def confirmation(message: str) -> fields.Boolean:
    """A box that must be ticked."""
    return fields.Boolean(
        required=True,
        validate=validate.Equal(True, error=message),
        error_messages={"required": message, "null": message, "invalid": message},
    )


def number(low: int, high: int) -> fields.Integer:
    between = f"Number must be between {low} and {high}."
    return fields.Integer(
        required=True,
        validate=validate.Range(low, high, error=between),
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": NOT_A_WHOLE_NUMBER},
    )


# Ids are PostgreSQL integers: a larger number names nobody (and no database takes it).
LARGEST_ID = 2**31 - 1


def person(message: str) -> fields.Integer:
    """A person's id; which people are allowed is the step's check to say."""
    return fields.Integer(
        required=True,
        validate=validate.Range(1, LARGEST_ID, error=message),
        error_messages={"required": message, "null": message, "invalid": message},
    )


def choices(answers: Iterable[str]) -> fields.List:
    """Any number of `answers` (none is an answer too)."""
    return fields.List(
        fields.String(validate=validate.OneOf(list(answers), error="Not a valid choice.")), load_default=list
    )


class Moment(fields.Field):
    """A date and time: ISO text (an API) or a datetime (a form). One without
    a zone is UK time. Kept as ISO UTC text, which timers and JSON can read."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.make_error("invalid") from None
        if not isinstance(value, datetime):
            raise self.make_error("invalid")
        if value.tzinfo is None:
            value = value.replace(tzinfo=clock.LONDON)
        return value.astimezone(UTC).isoformat()


def moment(message: str, *, required: bool = True) -> Moment:
    """A date and time (see `Moment`); `message` when it is missing or unreadable."""
    errors = {"required": message, "null": message, "invalid": message}
    if required:
        return Moment(required=True, error_messages=errors)
    return Moment(load_default=None, allow_none=True, error_messages=errors)


class Day(fields.Field):
    """A calendar date: ISO text or a date. Kept as ISO text."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise self.make_error("invalid") from None
        if not isinstance(value, date):
            raise self.make_error("invalid")
        return value.isoformat()


def day(message: str, *, required: bool = True) -> Day:
    errors = {"required": message, "null": message, "invalid": message}
    if required:
        return Day(required=True, error_messages=errors)
    return Day(load_default=None, allow_none=True, error_messages=errors)


def optional_flag() -> fields.Boolean:
    """A box that may be left unticked."""
    return fields.Boolean(load_default=False)


def optional_number(low: int, high: int) -> fields.Integer:
    between = f"Number must be between {low} and {high}."
    return fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(low, high, error=between),
        error_messages={"invalid": NOT_A_WHOLE_NUMBER},
    )


def answer_words(contract: type[Schema]) -> dict[str, dict[str, str]]:
    """Each choice field's answers in words, by field name ("removed" -> "I have
    removed the content"): what a page shows for an answer given."""
    found = {}
    for name, field in _schema(contract).fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        for check in inner.validators:
            if isinstance(check, validate.OneOf) and check.labels:
                found[name] = {
                    str(c): str(label) for c, label in zip(check.choices, check.labels, strict=False) if label
                }
    return found


@cache
def _schema(contract: type[Schema]) -> Schema:
    return contract()  # loading keeps no state on the schema: one instance serves all


def load(contract: type[Schema], raw: dict) -> dict:
    """The step's data as the contract reads it, or InvalidInput naming each
    field at fault (`""` for the form as a whole)."""
    try:
        return _schema(contract).load(raw)
    except ValidationError as error:
        raise InvalidInput(_by_field(error.messages)) from None


def _by_field(messages: dict | list) -> dict[str, list[str]]:
    if isinstance(messages, list):
        return {"": [str(m) for m in messages]}
    found = {}
    for name, value in messages.items():
        key = "" if name == "_schema" else str(name)
        found[key] = _flatten(value)
    return found


def _flatten(value) -> list[str]:
    if isinstance(value, dict):  # a list field's messages, by position
        return [m for inner in value.values() for m in _flatten(inner)]
    if isinstance(value, list):
        return [m for inner in value for m in _flatten(inner)]
    return [str(value)]
