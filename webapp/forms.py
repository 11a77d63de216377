"""What every form here shares: the base of the forms a diagram's steps name,
and showing an operation's refusal beside the fields it names."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, RadioField, SelectMultipleField, widgets
from wtforms.validators import Length, StopValidation, ValidationError

from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import is_web_link
from workflows.engine.stepdata import NOT_A_WHOLE_NUMBER, too_long

NOT_DATA = {"csrf_token", "submit"}


def show_errors(form: FlaskForm, error: InvalidInput, default_field: str = "submit") -> None:
    """Put each message the operation gave beside the field it names (or
    `default_field`), keeping what was typed. The caller has rolled back."""
    for name, messages in error.errors.items():
        field = getattr(form, name, None) if name else None
        target = field if field is not None else getattr(form, default_field)
        target.errors = [*target.errors, *messages]


class TextLimit(Length):
    """A length check that refuses text over its limit with a message. It
    gives the field no `maxlength` attribute: a browser cuts pasted text
    there without a word (5,000 characters became 4,000). The limit is shown
    beside the field instead, with a counter (static/js/char-count.js)."""

    def __init__(self, max: int, min: int = -1, message: str | None = None):
        super().__init__(min=min, max=max, message=message)
        self.field_flags = {}

    def __call__(self, form, field) -> None:
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(too_long(self.max, length))
        if length < self.min:
            super().__call__(form, field)


def show_limits(form: FlaskForm, limits: Mapping[str, int] | None = None) -> None:
    """Say each text field's limit beside it (and give the counter it): from
    `limits` (a step contract's, `stepdata.limits`) or the field's TextLimit."""
    for field in form:
        limit = (limits or {}).get(field.name) or next(
            (v.max for v in field.validators if isinstance(v, TextLimit)), None
        )
        shown = "data-max-length" in (field.render_kw or {})
        if not limit or shown or field.type not in {"StringField", "TextAreaField"}:
            continue
        field.render_kw = {**(field.render_kw or {}), "data-max-length": limit}
        note = f"At most {limit:,} characters."
        field.description = f"{field.description} {note}" if field.description else note


class LimitedForm(FlaskForm):
    """A form whose text fields show their limits (see `show_limits`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)


def web_link(form: FlaskForm, field) -> None:
    """Only http(s) links: a `javascript:` or `data:` link would run, or
    show, something of its own when clicked."""
    if field.data and not is_web_link(field.data):
        raise ValidationError("Give a web link: one that starts with https:// or http://.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


class TaskForm(LimitedForm):
    """A user task's form: its fields are the step's data contract, by name
    (checked at start-up), and the contract, run by the operation, is the
    check. The form only renders, parses and carries the CSRF token."""

    panel: str = ""  # template shown beside the form (the notice, the request...)

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs) -> TaskForm:
        """Build the form for one task; subclasses adapt choices to the data."""
        return cls(**kwargs)

    def to_data(self) -> dict:
        return {field.name: field.data for field in self if field.name not in NOT_DATA}


def answer(label: str, vocabulary: Mapping[str, str], **kwargs) -> RadioField:
    """Radio buttons for one of a step's answers. Whether one was chosen, and
    a known one, is the contract's to say (in its own words)."""
    kwargs.setdefault("render_kw", {"required": True})  # for assistive technology; the form is novalidate
    return RadioField(label, choices=list(vocabulary.items()), validate_choice=False, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"class": "clause-list border rounded p-2"})
        super().__init__(*args, **kwargs)


NOT_A_NUMBER = "Enter a number, such as 24."


class _PlainNumber:
    """A number field whose unreadable answer ("abc") gets one plain message,
    not WTForms' "Not a valid float value." followed by its range check's."""

    unreadable: str

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(self.unreadable) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # its message is already there: no range message after it


class NumberField(_PlainNumber, FloatField):
    unreadable = NOT_A_NUMBER


class WholeNumberField(_PlainNumber, IntegerField):
    unreadable = NOT_A_WHOLE_NUMBER
