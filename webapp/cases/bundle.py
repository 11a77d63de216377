"""The tribunal bundle's page: HR says why, and gets the PDF
(workflows/engine/bundle.py). The chronology is worded as the case page's
timeline is (filters.py), so both say the same thing the same way."""

from io import BytesIO

from flask import render_template, send_file
from flask_login import current_user, login_required

from workflows.engine import bundle as tribunal_bundle
from workflows.engine.cases import view_case
from workflows.engine.errors import InvalidInput

from ..extensions import get_ctx
from ..filters import event_details, humanise, london
from ..forms import show_errors
from . import bp
from .forms import BundleForm


def describe(event, case) -> list[str]:
    """One event of the chronology: when (UK time), which case, what, who, and its details."""
    step = event.data.get("task") or event.data.get("timer")
    what = humanise(event.action) + (f" · {step}" if step else "")
    when = london(event.occurred_at, "%a %-d %b %Y, %H:%M:%S")
    lines = [f"{when} · {case.reference} · {what} · {event.actor_label}"]
    if event.erased_at:  # its words are gone; what is left says under which rule
        erased = event.data.get("erased", {})
        return [*lines, f"    Erased by {erased.get('by', '')} under “{erased.get('rule', '')}”."]
    lines += [f"    {label}: {value}" for label, value in event_details(event, case.kind)]
    return lines


@bp.route("/<reference>/bundle", methods=["GET", "POST"])
@login_required
def bundle(reference: str):
    ctx = get_ctx()
    case = view_case(ctx.db, current_user, reference)
    cases = tribunal_bundle.bundle_cases(ctx.db, case)
    tribunal_bundle.check_may_export(current_user, case, cases)
    form = BundleForm()
    if form.validate_on_submit():
        try:
            made = tribunal_bundle.export(ctx, case, current_user, form.reason.data, describe)
        except InvalidInput as error:
            show_errors(form, error, "reason")
        else:
            return send_file(BytesIO(made.pdf), mimetype="application/pdf", as_attachment=True,
                             download_name=made.filename)  # fmt: skip
    return render_template("cases/bundle.html", case=case, cases=cases, form=form)
