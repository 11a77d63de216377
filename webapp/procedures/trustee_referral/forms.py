"""The Chair's form. Its fields are the step's contract
(workflows/procedures/trustee_referral/steps.py), which checks them."""

from __future__ import annotations

from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from workflows.procedures.trustee_referral.vocabulary import BOARD_DECISIONS

from ...forms import TaskForm, answer


class BoardDecisionForm(TaskForm):
    panel = "trustee_referral/panel.html"
    board_met_on = DateField("The date the board decided", validators=[Optional()])
    board_decision = answer("The board's decision", BOARD_DECISIONS)
    decision_reasons = TextAreaField("The board's reasons", description="These go in the letter to the trustee.")
    governing_document_provision = StringField(
        "For a removal: the provision of the governing document it is made under"
    )
    submit = SubmitField("Record the board's decision")
