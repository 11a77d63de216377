from flask import render_template
from flask_login import login_required

from workflows import policy
from workflows.engine import registry

from . import bp


@bp.route("/policy")
@login_required
def show():
    clauses = sorted(policy.clauses().values(), key=lambda c: c.sort_key)
    return render_template("policy/show.html", clauses=clauses, kind_labels=KIND_LABELS, acting_on=registry.acting_on)


KIND_LABELS = {
    policy.Kind.RULE: "Rule",
    policy.Kind.DUTY: "Duty",
    policy.Kind.POWER: "BCW Hub's power",
    policy.Kind.PURPOSE: "Purpose of monitoring",
    policy.Kind.ADVICE: "Advice",
    policy.Kind.CONSEQUENCE: "Consequence of a breach",
}
