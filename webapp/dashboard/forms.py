from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from workflows.engine import registry
from workflows.engine.dashboard import Filters


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kind = SelectField("Procedure", validators=[Optional()])
    opened_from = DateField("Opened from", validators=[Optional()])
    opened_to = DateField("Opened to", validators=[Optional()])
    submit = SubmitField("Show")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", "Every procedure")] + [(p.kind, p.label) for p in registry.procedures()]

    def validate_opened_to(self, field) -> None:
        if field.data and self.opened_from.data and field.data < self.opened_from.data:
            raise ValidationError("The end of the range is before its start.")

    def filters(self) -> Filters:
        return Filters(self.kind.data or "", self.opened_from.data, self.opened_to.data)
