from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import User
from workflows.engine import access, people, registry
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import store_upload, url_evidence
from workflows.procedures.breach.opening import KIND, BreachReport, open_breach

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import BreachOpenForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the breach case form without the HR role")
    others = [p for p in people.active_people(db) if p.id != current_user.id]
    form = BreachOpenForm(people=others)
    if form.validate_on_submit():
        try:
            case = open_breach(get_ctx(), current_user, _report(form))
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error, "evidence")
        else:
            flash(f"Breach case {case.reference} opened. Triage is next.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("breach/new.html", form=form)


def _report(form: BreachOpenForm) -> BreachReport:
    ctx, evidence = get_ctx(), []
    upload = form.evidence.data
    if upload and upload.filename:
        evidence.append(
            store_upload(
                ctx.settings, upload.stream, upload.filename, current_user, "Provided when the case was opened"
            )
        )
    if form.evidence_url.data:
        evidence.append(url_evidence(form.evidence_url.data, current_user))
    for item in evidence:
        item.shared_with_subject = form.share_evidence.data == "yes"
    reporter = ctx.db.get(User, form.reported_by.data) if form.reported_by.data else None
    return BreachReport(
        subject=ctx.db.get(User, form.subject.data),
        source=form.source.data,
        clauses=sorted(form.clauses.data),
        description=form.description.data.strip(),
        reported_by=reporter,
        evidence=evidence,
    )
