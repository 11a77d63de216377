from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from models import User
from workflows.engine import access, cases, queries, registry, workdays
from workflows.engine.errors import InvalidInput
from workflows.procedures.subject_access.compiling import adjust, adjustments, compile_request, may_handle
from workflows.procedures.subject_access.opening import KIND, NOTHING_HELD, Request, record_request

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import NOT_IN_SYSTEM, AdjustForm, RequestForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the subject access request form without the HR role")
    # Former staff ask too: everyone on record, active or not.
    form = RequestForm(people=list(db.scalars(select(User).order_by(User.name))))
    if form.validate_on_submit():
        try:
            case = record_request(get_ctx(), current_user, _request(form))
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            if case is None:
                flash(f"Recorded. {NOTHING_HELD.format(name=form.name.data)} Tell them so.", "info")
                return redirect(url_for("subject_access.new"))
            flash(f"Subject access request {case.reference} recorded: it is due by {case_due(case)}.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("subject_access/new.html", form=form)


def _request(form: RequestForm) -> Request:
    person = get_db().get(User, form.person.data) if form.person.data != NOT_IN_SYSTEM else None
    return Request(
        received_on=form.received_on.data,
        route=form.route.data or "",
        person=person,
        name=form.name.data or "",
        email=form.email.data or "",
    )


def case_due(case) -> str:
    return workdays.long_date(date.fromisoformat(queries.case_data(case)["due_on"]))


@bp.route("/<reference>/redactions", methods=["GET", "POST"])
@login_required
def redactions(reference: str):
    ctx = get_ctx()
    case = cases.view_case(ctx.db, current_user, reference)
    if not may_handle(current_user, case):
        access.refuse(current_user, case, "opened the redactions of a subject access request")
    current = adjustments(ctx.db, case)
    form = AdjustForm(unredact="\n".join(sorted(current.unredact)), redact_also="\n".join(current.redact_also))
    if form.validate_on_submit():
        try:
            adjust(ctx, case, current_user, form.unredact.data or "", form.redact_also.data or "")
        except InvalidInput as error:
            ctx.db.rollback()
            show_errors(form, error)
            case = cases.get_case(ctx.db, reference)
        else:
            flash("Redactions saved: the preview below shows them.", "success")
            return redirect(url_for("subject_access.redactions", reference=reference))
    compiled = compile_request(ctx, case, current_user)
    return render_template("subject_access/redactions.html", case=case, form=form, compiled=compiled)
