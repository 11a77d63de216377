from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from workflows.engine import access, queries, registry, stepdata, tasks
from workflows.engine.errors import InvalidInput

from ..extensions import get_ctx, get_db
from ..forms import show_errors, show_limits
from ..procedures import task_form
from . import bp


@bp.route("/")
@login_required
def inbox():
    return render_template("tasks/inbox.html", tasks=queries.my_tasks(get_db(), current_user))


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@login_required
def task(task_id: int):
    ctx = get_ctx()
    opened = tasks.open_task(ctx.db, current_user, task_id)
    row, case = opened.row, opened.case
    # Parallel branches: the task's own data, over what the latest step knows.
    data = {**queries.case_data(case), **queries.case_data(case, row.spiff_task_id)}
    form = task_form(case.kind, row.form_name).for_task(data, ctx=ctx, case=case)
    show_limits(form, stepdata.limits(registry.get(case.kind).step(row.form_name).contract))
    if form.validate_on_submit():
        try:
            tasks.complete_task(ctx, opened, form.to_data())
        except tasks.Overtaken as late:  # the case moved on past the deadline: keep that, say so
            return render_template("errors/already_done.html", error=late), 409
        except StaleDataError:  # someone else saved this case first: say who
            ctx.db.rollback()
            raise tasks.explain_conflict(ctx.db, task_id) from None
        except InvalidInput as error:
            ctx.db.rollback()
            show_errors(form, error)
        else:
            flash(f"'{row.title}' recorded.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    subject_view = access.is_subject_only(current_user, case)
    return render_template(
        "tasks/task.html",
        task=row,
        case=case,
        form=form,
        data=data,
        subject_view=subject_view,
        evidence=queries.case_evidence(ctx.db, case, shared_only=subject_view),
    )
