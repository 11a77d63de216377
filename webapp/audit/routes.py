from flask import render_template
from flask_login import current_user, login_required

from models import Role
from workflows.engine import access, anchors, audit

from ..extensions import get_db, services
from . import bp


@bp.route("/verify")
@login_required
def verify():
    """Re-check every hash chain and the anchors, as `flask audit verify` does."""
    db = get_db()
    if not current_user.has_role(Role.HR, Role.ADMIN):
        access.refuse(current_user, None, "opened the audit verification page")
    result = anchors.verify(db, services().settings)
    found = {"events": result.checked, "anchors": result.anchors, "problems": len(result.problems)}
    audit.record(db, None, "audit_verified", audit.Actor.person(current_user), found)
    return render_template("audit/verify.html", checked=result.checked, problems=result.problems, note=result.note)
