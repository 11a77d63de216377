"""The disciplinary procedure's words, and the organisation's choices it
follows (docs/domain.md, "Disciplinary procedure for employees")."""

from __future__ import annotations

import os
from dataclasses import dataclass

from models import Role

COMPANIONS = {
    "none": "I will come alone",
    "fellow_worker": "A colleague (a fellow worker)",
    "union_rep": "A trade union representative certified as trained",
    "union_official": "A trade union official",
}
NAMED_COMPANIONS = ("fellow_worker", "union_rep", "union_official")
ATTENDANCE = {
    "attended": "The employee attended and the hearing was held",
    "absent_good_reason": "The employee did not attend, with a good reason",
    "absent_no_reason": "The employee did not attend, without a good reason",
}
NON_ATTENDANCE = {
    "reschedule": "Arrange the hearing again",
    "proceed": "Decide on the evidence, without a hearing",
}
FINDINGS = {
    "none": "No misconduct",
    "misconduct": "Misconduct",
    "gross_misconduct": "Gross misconduct [SMP-7.2]",
}
# The ladder, mildest first: an appeal may only vary a sanction to one before it.
SANCTIONS = {
    "no_action": "No action",
    "first_written": "First written warning",
    "final_written": "Final written warning",
    "dismissal_notice": "Dismissal with notice",
    "summary_dismissal": "Summary dismissal for gross misconduct",
}
WARNINGS = ("first_written", "final_written")
DISMISSALS = ("dismissal_notice", "summary_dismissal")
# Clauses that tell staff some conduct can be gross misconduct: a summary
# dismissal must cite one (the policy told them so before they did it).
GROSS_MISCONDUCT_CLAUSES = ("SMP-7.2",)
APPEAL_CHOICES = {"appeal": "I want to appeal", "accept": "I accept the outcome and do not wish to appeal"}
APPEAL_OUTCOMES = {
    "upheld": "Upheld: the decision stands",
    "overturned": "Overturned: the sanction is withdrawn",
    "varied": "Varied to a lesser sanction",
}


@dataclass(frozen=True)
class Rules:
    """Numbers the organisation chooses. Each case records the ones it
    started under, so a later change never moves a running case's dates."""

    notice_days: int = 5  # working days between the invitation and the hearing
    postpone_days: int = 5  # working days after the first date a companion's new time may be
    appeal_days: int = 5  # working days to appeal in
    late_appeal_days: int = 20  # working days after that in which HR may still accept a late appeal
    first_warning_months: int = 6
    final_warning_months: int = 12
    suspension_review_days: int = 14  # a suspension carried over is reviewed this often (calendar days)
    may_dismiss: str = Role.HUB_MANAGER  # the system role with the authority to dismiss

    @classmethod
    def from_environment(cls) -> Rules:
        env, defaults = os.environ, cls()
        numbers = {
            name: int(env.get(f"DISCIPLINARY_{name.upper()}", getattr(defaults, name)))
            for name in (
                "notice_days",
                "postpone_days",
                "appeal_days",
                "late_appeal_days",
                "first_warning_months",
                "final_warning_months",
                "suspension_review_days",
            )
        }
        return cls(**numbers, may_dismiss=env.get("DISCIPLINARY_MAY_DISMISS", defaults.may_dismiss))

    def as_start_data(self) -> dict:
        return {
            "notice_days": self.notice_days,
            "postpone_days": self.postpone_days,
            "appeal_days": self.appeal_days,
            "late_appeal_days": self.late_appeal_days,
            "first_warning_months": self.first_warning_months,
            "final_warning_months": self.final_warning_months,
            "suspension_review_days": self.suspension_review_days,
            "may_dismiss": self.may_dismiss,
        }


RULES = Rules.from_environment()

# What happens to people during the procedure (docs/domain.md, items 11 and 12).
GRIEVANCE_HANDLING = {
    "pause": "Pause the disciplinary procedure and deal with the grievance first",
    "together": "Deal with the grievance and the disciplinary together (they are related)",
}
RESIGNATION_CHOICES = {
    "continue": "Continue the procedure to its end",
    "close": "Close the case",
}
WRITTEN_REASONS_DAYS = 14  # s.92 Employment Rights Act 1996: calendar days from the request

SUSPENSION_DECISIONS = {
    "continue": "Continue the suspension (reviewed again later)",
    "lift": "Lift the suspension: the employee returns to work",
}
