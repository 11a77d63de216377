import csv
import io

from flask import Response, render_template, request
from flask_login import current_user, login_required

from models import Role
from workflows.engine import access, audit, dashboard
from workflows.engine.errors import NotFound

from ..extensions import get_db
from . import bp
from .forms import DashboardFilterForm

# The tables a CSV can be had of, and their columns.
TABLES = {
    "open_by_procedure": ("Procedure", "Open cases"),
    "open_by_step": ("Waiting at", "Open cases"),
    "due_by_owner": ("Waiting on", "Overdue", "Due this week"),
    "per_month": ("Month", "Opened", "Closed"),
    "outcomes": ("Outcome", "Closed cases"),
    "repeat_subjects": ("Person", "Cases in 12 months"),
    "live_warnings": ("Warning", "Live"),
}


def _figures(what: str):
    """The viewer's figures (HR or the Hub Manager, over the cases they may see), audited."""
    if not current_user.has_role(Role.HR, Role.HUB_MANAGER):
        access.refuse(current_user, None, f"opened the dashboard ({what})")
    form = DashboardFilterForm(request.args)
    filters = form.filters() if form.validate() else dashboard.Filters()
    found = dashboard.summary(get_db(), current_user, filters)
    audit.record(
        get_db(),
        None,
        "dashboard_viewed",
        audit.Actor.person(current_user),
        {"what": what, "kind": filters.kind, "opened_from": filters.opened_from, "opened_to": filters.opened_to},
    )
    return form, found


@bp.route("/")
@login_required
def show():
    form, found = _figures("page")
    return render_template("dashboard/index.html", form=form, found=found, tables=TABLES)


@bp.route("/<table>.csv")
@login_required
def table_csv(table: str):
    if table not in TABLES:
        raise NotFound("There is no such table.")
    _form, found = _figures(f"{table}.csv")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TABLES[table])
    for row in getattr(found, table):
        if isinstance(row, tuple):
            writer.writerow([_safe(row[0]), *(cell.count for cell in row[1:])])
        else:
            writer.writerow([_safe(row.label), row.count])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="dashboard-{table}.csv"'},
    )


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is kept as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
