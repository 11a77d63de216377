from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from workflows import access, cases, queries
from workflows.errors import InvalidInput, NotFound

from ..extensions import get_ctx, get_db
from ..taskforms import show_refusal
from . import bp
from .registry import TASK_FORMS


@bp.route("/")
@login_required
def inbox():
    return render_template("tasks/inbox.html", tasks=queries.my_tasks(get_db(), current_user))


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: int):
    db, ctx = get_db(), get_ctx()
    row = cases.get_task(db, task_id)
    cases.check_can_complete(db, current_user, row)
    form_class = TASK_FORMS.get(row.form_name)
    if form_class is None:
        raise NotFound(f"The step '{row.title}' has no form ({row.form_name!r}).")
    # Parallel branches: the task's own data, over what the latest step knows.
    data = {**queries.case_data(row.case), **queries.case_data(row.case, row.spiff_task_id)}
    form = form_class.for_task(data, ctx=ctx, case=row.case)
    if form.validate_on_submit():
        done = _complete(row, form)
        if done:
            return done
    subject_view = access.is_subject_only(current_user, row.case)
    return render_template("tasks/task.html", task=row, case=row.case, form=form, data=data,
                           subject_view=subject_view,
                           evidence=queries.case_evidence(db, row.case, shared_only=subject_view))


def _complete(row, form):
    """Complete the step; None when its rules refused the data (shown on the form)."""
    db = get_db()
    try:
        case = cases.complete_task(get_ctx(), row.id, current_user, form.to_data())
        db.commit()
    except StaleDataError:  # someone else saved this case first: say who
        db.rollback()
        raise cases.explain_conflict(db, row.id)
    except InvalidInput as error:
        show_refusal(form, error, "submit")
        return None
    flash(f"'{row.title}' recorded.", "success")
    return redirect(url_for("cases.show", reference=case.reference))
