from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from models import Case, Role, User
from workflows.engine import access, holds, people, reads, retention
from workflows.engine.cases import get_case
from workflows.engine.errors import InvalidInput, NotFound

from ..extensions import get_ctx, get_db
from ..forms import show_errors
from . import bp
from .forms import HoldForm, LiftForm, PersonHoldForm


def _hr_only(what: str) -> None:
    if not current_user.has_role(Role.HR):
        access.refuse(current_user, None, f"opened {what} without the HR role")


@bp.route("/retention")
@login_required
def due():
    _hr_only("the retention schedule")
    return _page()


def _page(refused: dict[str, FlaskForm] | None = None):
    """The schedule's next 90 days and the holds in force; a refused form comes
    back in its place with its message beside the field and what was typed."""
    db, refused = get_db(), refused or {}
    visible = [d for d in retention.falling_due(get_ctx()) if holds.may_hold(current_user, d.case)]
    in_force = [h for h in holds.in_force(db) if _may_see(h)]
    others = [p for p in people.active_people(db) if p.id != current_user.id]
    forms = {f"case{d.case.id}": HoldForm(formdata=None, prefix=f"case{d.case.id}") for d in visible}
    forms |= {f"lift{h.id}": LiftForm(formdata=None, prefix=f"lift{h.id}") for h in in_force}
    forms["person"] = PersonHoldForm(others, formdata=None, prefix="person")
    forms |= refused
    years = get_ctx().settings.retention_years
    return render_template("retention/due.html", due=visible, holds=in_force, forms=forms, years=years)


def _may_see(hold) -> bool:
    return holds.may_lift(current_user, hold)


@bp.route("/cases/<reference>/hold", methods=["POST"])
@login_required
def hold_case(reference: str):
    case = get_case(get_db(), reference)
    if not holds.may_hold(current_user, case):
        access.refuse(current_user, case, "set a legal hold without the HR role")
    form = HoldForm(prefix=f"case{case.id}")
    return _try(
        form, lambda: holds.set_on_case(get_ctx(), current_user, case, form.reason.data or ""), f"case{case.id}"
    )


@bp.route("/people/hold", methods=["POST"])
@login_required
def hold_person():
    _hr_only("a person's legal hold")
    db = get_db()
    form = PersonHoldForm([p for p in people.active_people(db) if p.id != current_user.id], prefix="person")
    person = db.get(User, form.person.data) if form.validate_on_submit() and form.person.data else None
    if person is None:
        form.person.errors = [*form.person.errors, "Choose a person."]
        return _page({"person": form})
    return _try(form, lambda: holds.set_on_person(get_ctx(), current_user, person, form.reason.data or ""))


@bp.route("/holds/<int:hold_id>/lift", methods=["POST"])
@login_required
def lift(hold_id: int):
    hold = holds.get(get_db(), hold_id)
    if not holds.may_lift(current_user, hold):
        access.refuse(current_user, hold.case, f"lifted legal hold #{hold.id}")
    form = LiftForm(prefix=f"lift{hold_id}")
    return _try(form, lambda: holds.lift(get_ctx(), current_user, hold_id, form.reason.data or ""), f"lift{hold_id}")


def _try(form: FlaskForm, operation, key: str = "person"):
    """Run the operation for a valid form; its refusal goes back beside the field."""
    if form.validate_on_submit():
        try:
            hold = operation()
        except InvalidInput as error:
            get_db().rollback()
            show_errors(form, error)
        else:
            flash(_done(hold), "success")
            return redirect(url_for("retention.due"))
    return _page({key: form})


def _done(hold) -> str:
    whose = hold.case.reference if hold.case else f"{hold.person.name}'s cases"
    return f"The legal hold on {whose} is lifted." if not hold.in_force else f"{whose} will be kept: hold set."


@bp.route("/people/<int:person_id>/reads")
@login_required
def person_reads(person_id: int):
    """Who looked at a person's cases, and why; only the cases the reader may
    see, and never their own ("HR for HR")."""
    db = get_db()
    person = db.get(User, person_id)
    if person is None:
        raise NotFound("There is no such person.")
    if not current_user.has_role(Role.HR) or person.id == current_user.id:
        access.refuse(current_user, None, f"opened who read person #{person_id}'s cases")
    shown = [r for r in reads.reads_about(db, person) if r.case_reference in _visible_references(db, person)]
    return render_template("retention/reads.html", person=person, reads=shown)


def _visible_references(db, person: User) -> set[str]:
    cases = db.scalars(select(Case).where(Case.id.in_(reads.cases_of(person.id))))
    return {c.reference for c in cases if access.can_view_case(current_user, c)}
