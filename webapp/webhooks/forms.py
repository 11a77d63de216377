from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, InputRequired

from workflows.engine import webhooks

from ..forms import TextLimit


class SubscribeForm(FlaskForm):
    url = StringField(
        "Address to post to",
        validators=[DataRequired("Give the address that takes the deliveries."), TextLimit(500)],
        description="https://… (http:// only for this machine, for testing).",
    )
    events = SelectMultipleField(
        "Events",
        choices=list(webhooks.EVENTS.items()),
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validators=[InputRequired("Choose at least one.")],
    )
    submit = SubmitField("Subscribe")


class EndForm(FlaskForm):
    submit = SubmitField("End")
