from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, widgets

from models import PersonType, Role
from workflows.engine import directory

from ..forms import LimitedForm, TextLimit, strip

PERSON_TYPES = [
    (PersonType.EMPLOYEE.value, "An employee"),
    (PersonType.VOLUNTEER.value, "A volunteer"),
    (PersonType.TRUSTEE.value, "A trustee"),
]
# What each role lets a person do, in the words of the policy's people.
ROLES = [
    (Role.MANAGER.value, "Line manager: asks for takedowns, decides hearings they are appointed to"),
    (Role.HR.value, "HR: opens breach cases, runs investigations and the disciplinary procedure"),
    (Role.HUB_MANAGER.value, "Hub Manager: hears appeals and escalations"),
    (Role.CHAIR.value, "Chair of the board: decides cases about trustees"),
    (Role.ADMIN.value, "Admin: keeps this directory, webhooks and service accounts"),
]

ROLE_WORDS = {code: words.split(":")[0] for code, words in ROLES}  # "Hub Manager", for the list


class PersonForm(LimitedForm):
    """Every field is checked by the directory (workflows/engine/directory.py),
    which the routes hand the whole form: the limits here are only shown."""

    name = StringField("Name", filters=[strip], validators=[TextLimit(directory.LONGEST["name"])])
    email = StringField(
        "Email",
        filters=[strip],
        validators=[TextLimit(directory.LONGEST["email"])],
        description="Where their notices go, and how they sign in.",
    )
    person_type = SelectField("They are", choices=PERSON_TYPES)
    job_title = StringField("Job title", filters=[strip], validators=[TextLimit(directory.LONGEST["job_title"])])
    line_manager_email = SelectField("Line manager")
    roles = SelectMultipleField(
        "What they may do here",
        choices=ROLES,
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
    submit = SubmitField("Save")

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_manager_email.choices = [("", "No line manager")] + [(p.email, p.name) for p in managers]

    def values(self) -> dict:
        """What the directory is asked to set: every field of the form."""
        return {name: getattr(self, name).data or default for name, default in _DEFAULTS.items()}


_DEFAULTS = {"name": "", "email": "", "person_type": "", "job_title": "", "line_manager_email": "", "roles": []}


class ActionForm(FlaskForm):
    """A button (deactivate, send a new link): its CSRF token is all it carries."""

    submit = SubmitField()
