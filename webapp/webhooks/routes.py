from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import Role
from workflows.engine import access, webhooks
from workflows.engine.errors import InvalidInput

from ..extensions import get_db
from ..forms import show_errors, show_limits
from . import bp
from .forms import EndForm, SubscribeForm


def _admin_only(attempted: str) -> None:
    if not current_user.has_role(Role.ADMIN):
        access.refuse(current_user, None, attempted)


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    _admin_only("opened the webhooks page")
    db = get_db()
    form, made = SubscribeForm(), None
    show_limits(form)
    if form.validate_on_submit():
        try:
            made = webhooks.subscribe(db, current_user, form.url.data, form.events.data)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            form = SubscribeForm(formdata=None)
            show_limits(form)
    return render_template(
        "webhooks/index.html",
        form=form,
        made=made,
        subscriptions=webhooks.subscriptions(db),
        deliveries=webhooks.recent(db),
        end_form=EndForm(),
        events=webhooks.EVENTS,
    )


@bp.post("/<int:subscription_id>/end")
@login_required
def end(subscription_id: int):
    _admin_only(f"ended webhook #{subscription_id}")
    if EndForm().validate_on_submit():
        row = webhooks.end(get_db(), current_user, subscription_id)
        flash(f"Deliveries to {row.url} have ended.", "success")
    return redirect(url_for("webhooks.index"))
