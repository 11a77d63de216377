from flask import render_template
from flask_login import login_required

from workflows import policy

from . import bp


@bp.route("/policy")
@login_required
def show():
    clauses = sorted(policy.clauses().values(), key=lambda c: c.sort_key)
    return render_template("policy/show.html", clauses=clauses)
