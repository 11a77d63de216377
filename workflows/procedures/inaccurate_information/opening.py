"""Opening a report of inaccurate information [SMP-5.12]: what the person
noticed, where, and a link or a screenshot to show it."""

from __future__ import annotations

import os
from dataclasses import dataclass

from models import Case, Evidence, User
from workflows.engine.cases import open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import attach_evidence, is_web_link

KIND = "inaccurate_information_report"
PLATFORMS = [
    "Facebook",
    "Instagram",
    "X (Twitter)",
    "TikTok",
    "LinkedIn",
    "YouTube",
    "Google (Maps, search or reviews)",
    "A news site",
    "A charity directory or listing",
    "Blog or website",
    "Other",
]
START_DATA = ("url", "platform", "inaccuracy", "correction", "line_manager_named", "reminder_days", "decide_days")
MAX_TEXT, MAX_URL = 4000, 2048
NEED_LINK_OR_SCREENSHOT = "Give a link to it or attach a screenshot: one of the two is enough."


@dataclass(frozen=True)
class Timings:
    """Working days the organisation chooses; each case keeps the ones it
    started under, so changing them never moves a running case's dates."""

    reminder_days: int = 3  # the decider is reminded after this many working days
    decide_days: int = 10  # undecided by then, the report goes to the Hub Manager

    @classmethod
    def from_environment(cls) -> Timings:
        defaults = cls()
        return cls(
            reminder_days=int(os.environ.get("INACCURATE_INFORMATION_REMINDER_DAYS", defaults.reminder_days)),
            decide_days=int(os.environ.get("INACCURATE_INFORMATION_DECIDE_DAYS", defaults.decide_days)),
        )


TIMINGS = Timings.from_environment()


@dataclass
class InaccuracyReport:
    platform: str
    inaccuracy: str
    url: str = ""
    correction: str = ""
    screenshot: Evidence | None = None


def report_inaccurate_information(ctx: Context, reporter: User, report: InaccuracyReport) -> Case:
    """Open the case and send it to the reporter's line manager (HR's pool
    when they have none, or theirs is no longer active)."""
    _check(report)
    manager = reporter.line_manager
    named = manager is not None and manager.active and manager.id != reporter.id
    parties = {"Person reporting": reporter, **({"Line manager": manager} if named else {})}
    case = open_case(
        ctx,
        KIND,
        title=f"Inaccurate information on {report.platform}",
        subject=reporter,  # their report: they see its notices and outcome, never the decider's working
        opened_by=reporter,
        clauses=[],  # a case's clauses are what it alleges; a report alleges nothing
        parties=parties,
        start_data={
            "url": report.url,
            "platform": report.platform,
            "inaccuracy": report.inaccuracy,
            "correction": report.correction,
            "line_manager_named": named,
            "reminder_days": TIMINGS.reminder_days,
            "decide_days": TIMINGS.decide_days,
        },
    )
    if report.screenshot is not None:
        report.screenshot.shared_with_subject = True  # the reporter's own screenshot
        attach_evidence(ctx, case, reporter, [report.screenshot])
    return case


def _check(report: InaccuracyReport) -> None:
    if not report.url and report.screenshot is None:
        raise InvalidInput({"url": [NEED_LINK_OR_SCREENSHOT], "screenshot": [NEED_LINK_OR_SCREENSHOT]})
    if report.url and not is_web_link(report.url):
        raise InvalidInput("Give a web link: one that starts with https:// or http://.", "url")
    if not report.inaccuracy.strip():
        raise InvalidInput("Say what is inaccurate.", "inaccuracy")
    for name in ("inaccuracy", "correction"):
        if len(getattr(report, name)) > MAX_TEXT:
            raise InvalidInput(f"Field cannot be longer than {MAX_TEXT} characters.", name)
    if len(report.url) > MAX_URL:
        raise InvalidInput(f"Field cannot be longer than {MAX_URL} characters.", "url")
    if report.platform not in PLATFORMS:
        raise InvalidInput("Choose where you saw it.", "platform")
