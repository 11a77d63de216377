from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from models import CaseStatus


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    status = SelectField("Status", choices=[("", "Any status")] + [(s, s.capitalize()) for s in CaseStatus],
                         validators=[Optional()])
    kind = SelectField("Kind", choices=[("", "Any kind"), ("takedown_request", "Takedown request"),
                                        ("breach_investigation", "Breach investigation")],
                       validators=[Optional()])
