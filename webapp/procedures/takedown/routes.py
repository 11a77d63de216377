from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import User
from workflows.engine import access, people, registry
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import store_upload
from workflows.procedures.takedown.opening import KIND, TakedownRequest, request_takedown

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import TakedownRequestForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the takedown request form without a manager or HR role")
    others = [p for p in people.active_people(db) if p.id != current_user.id]
    form = TakedownRequestForm(people=others)
    if form.validate_on_submit():
        try:
            case = _request(form)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error, "evidence")
        else:
            flash(f"Takedown request {case.reference} sent to {case.subject.name}.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    if form.is_submitted() and form.errors and "evidence" not in form.errors:
        form.evidence.errors.append(
            "For your safety, files are not kept when a form has errors: please choose the file again."
        )
    return render_template("takedown/new.html", form=form)


def _request(form: TakedownRequestForm):
    ctx = get_ctx()
    upload, captured = form.evidence.data, form.captured_utc()
    evidence = store_upload(
        ctx.settings, upload.stream, upload.filename, current_user, "Captured before removal", captured
    )
    request = TakedownRequest(
        subject=ctx.db.get(User, form.subject.data),
        platform=form.platform.data,
        urls=form.url_list(),
        clauses=sorted(form.clauses.data),
        reasons=form.reasons.data.strip(),
        deadline_hours=form.deadline_hours.data,
        evidence=[evidence],
        captured_at=captured,
    )
    return request_takedown(ctx, current_user, request)
