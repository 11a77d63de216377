from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, InputRequired

from models import Role
from workflows.engine import clock, tokens

from ..forms import TextLimit


class NewTokenForm(FlaskForm):
    name = StringField(
        "What will use it",
        validators=[DataRequired("Give the token a name that says what uses it."), TextLimit(80)],
        description="For example “HR system sync”. Shown in the list, and in the audit trail.",
    )
    scopes = SelectMultipleField(
        "What it may do",
        choices=list(tokens.SCOPES.items()),
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validators=[InputRequired("Choose at least one.")],
    )
    expires_on = DateField(
        "Expires on",
        validators=[InputRequired("Give a date, such as 31/03/2027.")],
        description="At most a year from today. An expired token is refused.",
    )
    submit = SubmitField("Make the token")

    def __init__(self, *args, for_person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # "people" is offered only to whom it can be given: an admin (or a service account, which is one).
        if for_person is not None and not for_person.has_role(Role.ADMIN):
            self.scopes.choices = [(k, v) for k, v in self.scopes.choices if k != "people"]
        if self.expires_on.data is None and not self.is_submitted():
            self.expires_on.data = clock.now().date() + timedelta(days=90)


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke")


class NewServiceAccountForm(FlaskForm):
    name = StringField(
        "What program it is",
        validators=[DataRequired("Name the program, such as “HR system sync”."), TextLimit(80)],
        description="Shown wherever it acts: in the audit trail, and on the people it adds or changes.",
    )
    submit = SubmitField("Add the service account")
