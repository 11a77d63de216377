"""Demo data for reporting inaccurate information [SMP-5.12]: Sam Wright has
reported an online listing that says the Hub's Tuesday drop-in has closed;
it waits for his line manager, Mark Taylor, to decide."""

from __future__ import annotations

from models import Evidence, User
from workflows.engine.context import Context

from .opening import InaccuracyReport, report_inaccurate_information


def load(ctx: Context, reporter: User, screenshot: Evidence | None = None) -> None:
    report_inaccurate_information(
        ctx,
        reporter,
        InaccuracyReport(
            platform="Google (Maps, search or reviews)",
            url="https://maps.example.org/place/bcw-hub",
            inaccuracy="The listing says the Tuesday drop-in has closed for good, and gives our old phone number.",
            correction="The drop-in runs every Tuesday, 10:00 to 14:00; the number is on our website.",
            screenshot=screenshot,
        ),
    )
