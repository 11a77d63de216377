"""Forms for reporting inaccurate information [SMP-5.12]. The step forms carry
the fields of their step's contract (workflows/procedures/inaccurate_information/steps.py),
which checks them."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import SelectField, SubmitField, TextAreaField, URLField
from wtforms.validators import DataRequired, Optional, ValidationError

from workflows.procedures.inaccurate_information import steps
from workflows.procedures.inaccurate_information.opening import (
    MAX_TEXT,
    MAX_URL,
    NEED_LINK_OR_SCREENSHOT,
    PLATFORMS,
)

from ...forms import LimitedForm, TaskForm, TextLimit, answer, strip, web_link


class ReportForm(LimitedForm):
    platform = SelectField("Where you saw it", choices=[("", "Choose…")] + [(p, p) for p in PLATFORMS])
    url = URLField(
        "Link to it",
        filters=[strip],
        validators=[Optional(), web_link, TextLimit(max=MAX_URL)],
        description="Copy the address from your browser. A link or a screenshot is enough; both is best.",
    )
    inaccuracy = TextAreaField(
        "What is inaccurate",
        filters=[strip],
        validators=[DataRequired("Say what is inaccurate."), TextLimit(max=MAX_TEXT)],
    )
    correction = TextAreaField(
        "What is correct, if you know", filters=[strip], validators=[Optional(), TextLimit(max=MAX_TEXT)]
    )
    screenshot = FileField("Screenshot (PNG, JPEG, GIF, WebP or PDF)")
    submit = SubmitField("Send the report")

    def validate_platform(self, field):
        if field.data not in PLATFORMS:
            raise ValidationError("Choose where you saw it.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.url.data and not self.has_screenshot():
            # One of the two shows what was seen; beside both, since either will do.
            self.url.errors.append(NEED_LINK_OR_SCREENSHOT)
            self.screenshot.errors.append(NEED_LINK_OR_SCREENSHOT)
            return False
        return valid

    def has_screenshot(self) -> bool:
        upload = self.screenshot.data
        return bool(upload and upload.filename)


class LineManagerDecisionForm(TaskForm):
    panel = "inaccurate_information/panel_report.html"
    decision = answer("Your decision", steps.DECISIONS)
    reasons = TextAreaField("What will be done, or why not", description="The person reporting is told this.")
    submit = SubmitField("Record the decision")


class HubManagerDecisionForm(TaskForm):
    panel = "inaccurate_information/panel_report.html"
    hub_decision = answer("Your decision", steps.OUTCOMES)
    hub_reasons = TextAreaField("What will be done, or why not", description="The person reporting is told this.")
    submit = SubmitField("Record the decision")
