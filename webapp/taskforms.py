"""Base class for forms named by a diagram's user tasks."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.validators import ValidationError

from workflows.errors import InvalidInput

from .extensions import get_db


def show_refusal(form: FlaskForm, error: InvalidInput, default_field: str) -> None:
    """A rule of the operations layer refused the data: undo the attempt and
    show why beside the field it names (or `default_field`), keeping what was typed."""
    get_db().rollback()
    field = getattr(form, error.field, None) if error.field else None
    (field or getattr(form, default_field)).errors.append(str(error))


class TaskForm(FlaskForm):
    """A user task's form: its fields named as the workflow data they set."""

    data_fields: tuple[str, ...] = ()
    panel: str = ""  # template shown beside the form (the notice, the request...)

    @classmethod
    def for_task(cls, data: dict, ctx=None, case=None, **kwargs) -> TaskForm:
        """Build the form for one task; subclasses adapt choices to the data."""
        return cls(**kwargs)

    def to_data(self) -> dict:
        return {name: _clean(getattr(self, name).data) for name in self.data_fields}


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def required_when(field_name: str, values: tuple[str, ...], message: str):
    """A validator: this field is needed only for some choices of another."""
    def check(form, field):
        if getattr(form, field_name).data in values and not (field.data or "").strip():
            raise ValidationError(message)
    return check


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"class": "clause-list border rounded p-2"})
        super().__init__(*args, **kwargs)
