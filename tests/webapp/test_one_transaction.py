"""One transaction per request (webapp/application.py): a refused request
keeps nothing it did before the refusal, and the refusal itself is kept."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import func, select

from models import AuditEvent, Evidence
from workflows.demo import DEMO_PNG

from ..factories import make_breach, make_hr, make_user


def count(db, action: str, case, actor) -> int:
    return db.scalar(
        select(func.count()).where(
            AuditEvent.case_id == case.id, AuditEvent.action == action, AuditEvent.actor_id == actor.id
        )
    )


def test_a_refusal_rolls_back_the_request_and_records_only_the_refusal(ctx, db, web, settings):
    hr, subject = make_hr(db), make_user(db, "Ellie Jones")
    case = make_breach(ctx, hr, subject)
    web.login(subject)
    page = f"/cases/{case.reference}"
    assert web.client.get(page).status_code == 200  # the subject may look at their own case...
    assert count(db, "case_viewed", case, subject) == 1
    response = web.submit(
        f"{page}/evidence",
        {  # ...but not add to its file
            "description": "My side",
            "shared_with_subject": "yes",
            "file": (BytesIO(DEMO_PNG), "mine.png"),
        },
        form_page=page,
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    # The GET of the form page viewed it once more; the refused POST's own view is gone.
    assert count(db, "case_viewed", case, subject) == 2
    assert count(db, "access_denied", case, subject) == 1
    assert db.scalar(select(Evidence).where(Evidence.description == "My side")) is None
    stored = [p for p in settings.evidence_dir.rglob("*") if p.is_file()] if settings.evidence_dir.exists() else []
    assert stored == []  # refused before the upload was stored


def test_a_page_that_raises_keeps_nothing(db, app):
    def half_done_then_broken():
        from webapp.extensions import get_db
        from workflows.engine import audit

        audit.record(get_db(), None, "half_done", audit.SYSTEM)
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", view_func=half_done_then_broken)  # before the first request
    response = app.test_client().get("/broken")
    assert response.status_code == 500 and "Nothing was saved" in response.get_data(as_text=True)
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "half_done")) is None
