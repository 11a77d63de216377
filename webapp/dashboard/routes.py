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
    "clause_outcomes": ("Rule", "What followed", "Cases"),
    "times": ("Procedure", "Cases ended", "Median days", "Target days", "Against the target", "Took longer"),
    "repeat_subjects": ("Person", "Cases in 12 months"),
    "live_warnings": ("Warning", "Live"),
    "deadlines": ("Requests", "Overdue", "Due within 7 days", "Due later"),
    "holds": ("Held", "Number"),
    "measures": ("Procedure", "Count", "Cases"),
}


def _lines(found: dashboard.Summary, table: str) -> list[tuple]:
    """The table's rows as cells (text, a count, or a number of days)."""
    if table == "times":
        return [(t.procedure, t.ended, t.median_days, t.target_days, t.verdict, t.longer) for t in found.times]
    if table == "deadlines":
        return [(d.title, *d.counts) for d in found.deadlines]
    if table == "holds":
        people = [] if found.holds.people is None else [("People under a legal hold", found.holds.people)]
        return [(found.holds.cases.label, found.holds.cases), *people]
    if table == "measures":
        return [(m.title, row.label, row) for m in found.measures for row in m.rows]
    return [row if isinstance(row, tuple) else (row.label, row) for row in getattr(found, table)]


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
    for line in _lines(found, table):
        writer.writerow([_cell(cell) for cell in line])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="dashboard-{table}.csv"'},
    )


def _cell(cell) -> str | int:
    if isinstance(cell, dashboard.Row):
        return cell.count
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return "" if cell is None else _safe(str(cell)) if isinstance(cell, str) else cell


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula is kept as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
