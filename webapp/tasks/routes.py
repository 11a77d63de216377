from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from workflows import cases, queries
from workflows.errors import NotFound

from ..extensions import get_ctx, get_db
from ..takedown.forms import TASK_FORMS
from . import bp


@bp.route("/")
@login_required
def inbox():
    return render_template("tasks/inbox.html", tasks=queries.my_tasks(get_db(), current_user))


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: int):
    db = get_db()
    row = cases.get_task(db, task_id)
    cases.check_can_complete(db, current_user, row)
    form_class = TASK_FORMS.get(row.form_name)
    if form_class is None:
        raise NotFound(f"The step '{row.title}' has no form ({row.form_name!r}).")
    data = queries.case_data(row.case, row.spiff_task_id)
    form = form_class.for_task(data)
    if form.validate_on_submit():
        return _complete(row, form)
    return render_template("tasks/task.html", task=row, case=row.case, form=form, data=data,
                           evidence=queries.case_evidence(db, row.case))


def _complete(row, form):
    db = get_db()
    try:
        case = cases.complete_task(get_ctx(), row.id, current_user, form.to_data())
        db.commit()
    except StaleDataError:  # someone else saved this case first: say who
        db.rollback()
        raise cases.explain_conflict(db, row.id)
    flash(f"'{row.title}' recorded.", "success")
    return redirect(url_for("cases.show", reference=case.reference))
