from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from workflows.engine import access, registry
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import store_upload
from workflows.procedures.inaccurate_information.opening import (
    KIND,
    InaccuracyReport,
    report_inaccurate_information,
)

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import ReportForm

FILE_AGAIN = "For your safety, files are not kept when a form has errors: please choose the file again."


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the inaccurate information report form")
    form = ReportForm()
    if form.validate_on_submit():
        try:
            case = report_inaccurate_information(get_ctx(), current_user, _report(form))
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error, "screenshot")
        else:
            flash(f"Thank you. Report {case.reference} has gone to {_decider(case)}.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    if form.has_screenshot() and form.errors and "screenshot" not in form.errors:
        form.screenshot.errors.append(FILE_AGAIN)
    return render_template("inaccurate_information/new.html", form=form)


def _report(form: ReportForm) -> InaccuracyReport:
    screenshot = None
    if form.has_screenshot():
        upload = form.screenshot.data
        screenshot = store_upload(
            get_ctx().settings, upload.stream, upload.filename, current_user, "Screenshot from the report"
        )
    return InaccuracyReport(
        platform=form.platform.data,
        url=form.url.data or "",
        inaccuracy=form.inaccuracy.data,
        correction=form.correction.data or "",
        screenshot=screenshot,
    )


def _decider(case) -> str:
    manager = next((p.user for p in case.parties if p.role == "Line manager"), None)
    return f"your line manager, {manager.name}" if manager else "HR, as you have no line manager on record"
