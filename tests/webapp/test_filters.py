"""webapp/filters.py: an audit event's data as a person reads it on the timeline."""

from __future__ import annotations

from models import AuditEvent
from webapp.filters import event_details, humanise


def details(action: str, data: dict, kind: str | None = None) -> dict[str, str]:
    return dict(event_details(AuditEvent(action=action, data=data), kind))


def test_times_are_uk_time_and_days_are_written_out(app):
    with app.app_context():
        shown = details("case_opened", {"deadline_at": "2026-07-01T08:00:00+00:00", "interviewed_on": "2026-03-02"})
    assert shown == {"Deadline at": "1 July 2026, 09:00 (UK time)", "Interviewed on": "2 March 2026"}  # BST


def test_numbers_lose_their_point_nought_and_codes_become_words(app):
    with app.app_context():
        shown = details(
            "case_status_changed",
            {"from": "open", "to": "escalated", "escalation_reason": "escalated_by_hr", "deadline_hours": 24.0},
            "takedown_request",
        )
    assert shown == {
        "From": "Open",
        "To": "Escalated",
        "Escalation reason": "Escalated by HR",
        "Deadline hours": "24",
    }
    assert details("case_opened", {"deadline_hours": 0.5})["Deadline hours"] == "0.5"
    assert humanise("escalated_by_hr") == "Escalated by HR"


def test_a_step_s_answers_are_the_words_its_form_offered(app):
    with app.app_context():
        shown = details(
            "task_completed",
            {"form": "dispute_review", "data": {"review_decision": "uphold", "proportionality_considered": True}},
            "takedown_request",
        )
        unknown_kind = details("task_completed", {"form": "dispute_review", "data": {"review_decision": "uphold"}})
    assert shown == {"Review decision": "Uphold it: send a final notice", "Proportionality considered": "Yes"}
    assert unknown_kind == {"Review decision": "Uphold"}
