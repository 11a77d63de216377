from flask import render_template
from flask_login import current_user, login_required

from models import Role
from workflows.engine import access, audit

from ..extensions import get_db
from . import bp


@bp.route("/verify")
@login_required
def verify():
    """Re-check every hash chain, as `flask audit verify` does."""
    db = get_db()
    if not current_user.has_role(Role.HR, Role.ADMIN):
        access.refuse(current_user, None, "opened the audit verification page")
    checked, problems = audit.verify(db)
    audit.record(
        db, None, "audit_verified", audit.Actor.person(current_user), {"events": checked, "problems": len(problems)}
    )
    return render_template("audit/verify.html", checked=checked, problems=problems)
