from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from workflows.engine import invitations, people
from workflows.engine.errors import InvalidInput

from ..extensions import get_db
from ..forms import show_errors
from . import bp, throttle
from .forms import LoginForm, LogoutForm, WelcomeForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("tasks.inbox"))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        user = people.authenticate(db, form.email.data, form.password.data, request.remote_addr or "")
        if user:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        throttle.failed_sign_in()
        form.password.errors.append("That email and password do not match an active account.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        people.sign_out(get_db(), current_user, request.remote_addr or "")
        logout_user()
        flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/welcome/<secret>", methods=["GET", "POST"])
def welcome(secret: str):
    """Choose a first password with the emailed link; then sign in as usual."""
    db = get_db()
    person = invitations.live(db, secret).user  # used, expired or replaced: a 404 saying to ask HR
    form = WelcomeForm()
    if form.validate_on_submit():
        try:
            invitations.choose_password(db, secret, form.password.data, form.again.data)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            flash("Your password is set: sign in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/welcome.html", form=form, person=person)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("tasks.inbox")
