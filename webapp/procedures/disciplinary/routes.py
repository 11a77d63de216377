from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import undefer

from models import Case, PersonType, User
from workflows.engine import access, people, queries, registry, workdays
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import store_upload
from workflows.procedures.disciplinary import record as checks
from workflows.procedures.disciplinary import warning_register as register
from workflows.procedures.disciplinary.opening import KIND, DisciplinaryOpening, open_disciplinary

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import DisciplinaryOpenForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the disciplinary case form without the HR role")
    employees = [
        p for p in people.active_people(db) if p.id != current_user.id and p.person_type == PersonType.EMPLOYEE
    ]
    form = DisciplinaryOpenForm(employees=employees)
    if form.validate_on_submit():
        try:
            case = open_disciplinary(get_ctx(), current_user, _opening(form))
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error, "reason")
        else:
            flash(f"Disciplinary case {case.reference} opened. Appoint a hearing officer next.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("disciplinary/new.html", form=form)


def _opening(form: DisciplinaryOpenForm) -> DisciplinaryOpening:
    ctx, evidence = get_ctx(), []
    upload = form.evidence.data
    if upload and upload.filename:
        item = store_upload(
            ctx.settings, upload.stream, upload.filename, current_user, "Provided when the case was opened"
        )
        item.shared_with_subject = True  # a disciplinary case discloses its evidence
        evidence.append(item)
    return DisciplinaryOpening(
        subject=ctx.db.get(User, form.subject.data),
        clauses=sorted(form.clauses.data),
        allegation=form.allegation.data,
        reason=form.reason.data,
        alleged_gross_misconduct=form.alleged_gross_misconduct.data,
        evidence=evidence,
    )


@bp.route("/people/<int:user_id>")
@login_required
def record(user_id: int):
    """A person's disciplinary record: HR only, never their own."""
    db = get_db()
    person = db.get(User, user_id)
    if person is None:
        abort(404)
    if not current_user.has_role("hr") or person.id == current_user.id:
        access.refuse(current_user, None, f"opened the disciplinary record of person #{person.id}")
    cases = db.scalars(
        select(Case).where(Case.subject_id == person.id).options(undefer(Case.state)).order_by(Case.id.desc())
    ).all()
    return render_template(
        "disciplinary/record.html",
        person=person,
        warnings=register.warnings_of(db, person),
        today=workdays.today(),
        cases=cases,
        outcomes={c.id: checks.outcome(queries.case_data(c)) for c in cases if c.kind == KIND},
    )
