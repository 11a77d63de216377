"""Service accounts (admins only): a program's account, such as the HR
system's sync, and its tokens. The account never signs in to the pages; its
tokens are made and revoked by an admin, each audited on its own chain."""

from flask import render_template
from flask_login import current_user, login_required

from models import User
from workflows.engine import directory, tokens
from workflows.engine.errors import InvalidInput, NotFound

from ..extensions import get_db
from ..forms import show_errors, show_limits
from . import bp
from .forms import NewServiceAccountForm, NewTokenForm, RevokeForm


@bp.route("/service-accounts/", methods=["GET", "POST"])
@login_required
def service_accounts():
    db = get_db()
    accounts = directory.service_accounts(db, current_user)  # admins only: refused (and audited) otherwise
    form = NewServiceAccountForm()
    show_limits(form)
    if form.validate_on_submit():
        try:
            directory.add_service_account(db, current_user, form.name.data)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            form = NewServiceAccountForm(formdata=None)
            accounts = directory.service_accounts(db, current_user)
    return render_template("tokens/service_accounts.html", form=form, accounts=accounts)


@bp.route("/service-accounts/<int:account_id>", methods=["GET", "POST"])
@login_required
def service_account(account_id: int):
    db = get_db()
    directory.check_admin(current_user, f"opened service account #{account_id}")
    account = db.get(User, account_id)
    if account is None or not account.service_account:
        raise NotFound("There is no such service account.")
    form, made = NewTokenForm(for_person=account), None
    show_limits(form)
    if form.validate_on_submit():
        try:
            made = tokens.create(
                db,
                account,
                name=form.name.data,
                scopes=form.scopes.data,
                expires_on=form.expires_on.data,
                made_by=current_user,
            )
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            form = NewTokenForm(formdata=None, for_person=account)
            show_limits(form)
    return render_template(
        "tokens/service_account.html",
        account=account,
        form=form,
        made=made,
        tokens=tokens.mine(db, account),
        revoke=RevokeForm(),
    )
