from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import Role, User
from workflows.engine import access, people, registry
from workflows.engine.errors import InvalidInput
from workflows.procedures.monitoring.opening import MonitoringFinding, record_finding
from workflows.procedures.monitoring.restrictions import in_force
from workflows.procedures.monitoring.vocabulary import KIND

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import FindingForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the monitoring finding form without the HR role")
    others = [p for p in people.active_people(db) if p.id != current_user.id]
    form = FindingForm(people=others)
    if form.validate_on_submit():
        finding = MonitoringFinding(
            subject=db.get(User, form.subject.data),
            occasion=form.occasion.data,
            purposes=sorted(form.purposes.data),
            found=form.found.data.strip(),
        )
        try:
            case = record_finding(get_ctx(), current_user, finding)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            flash(f"Monitoring finding {case.reference} recorded: HR decides next.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("monitoring/new.html", form=form)


@bp.route("/restrictions")
@login_required
def restrictions():
    """The register [SMP-6.6]: HR's only; never their own restriction ("HR for HR")."""
    if not current_user.has_role(Role.HR):
        access.refuse(current_user, None, "opened the access restriction register without the HR role")
    shown = [r for r in in_force(get_db()) if r.case.subject_id != current_user.id]
    return render_template("monitoring/register.html", restrictions=shown)
