from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from workflows.engine import tokens
from workflows.engine.errors import InvalidInput

from ..extensions import get_db
from ..forms import show_errors, show_limits
from . import bp
from .forms import NewTokenForm, RevokeForm


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = NewTokenForm(for_person=current_user)
    show_limits(form)
    made = None
    if form.validate_on_submit():
        try:
            made = tokens.create(
                get_db(), current_user, name=form.name.data, scopes=form.scopes.data, expires_on=form.expires_on.data
            )
        except InvalidInput as error:
            get_db().rollback()
            show_errors(form, error)
        else:
            form = NewTokenForm(formdata=None, for_person=current_user)
            show_limits(form)
    return render_template(
        "tokens/index.html", form=form, made=made, tokens=tokens.mine(get_db(), current_user), revoke=RevokeForm()
    )


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if RevokeForm().validate_on_submit():
        row = tokens.revoke(get_db(), current_user, token_id)
        flash(f"The token “{row.name}” is revoked: it works no more.", "success")
        if row.user.service_account:
            return redirect(url_for("tokens.service_account", account_id=row.user_id))
    return redirect(url_for("tokens.index"))
