"""Thin routes over the directory: it refuses anyone but an admin (with an
audit event), names every fault at once, and audits each change. A posted
form goes to it whole (its CSRF token is checked before any route), so the
page names the same faults, all at once, as the API's callers are given."""

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from models import User
from workflows.engine import directory, people
from workflows.engine.errors import InvalidInput

from ..extensions import get_ctx, get_db
from ..forms import show_errors
from . import bp
from .forms import ROLE_WORDS, ActionForm, PersonForm


@bp.route("/")
@login_required
def index():
    db = get_db()
    everyone = directory.listing(db, current_user)
    found = request.args.get("q", "").strip().lower()
    if found:
        everyone = [p for p in everyone if found in p.name.lower() or found in p.email.lower()]
    listed = sorted(everyone, key=lambda p: p.name.lower())
    return render_template("people/index.html", people=listed, q=found, roles=ROLE_WORDS)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    directory.check_admin(current_user, "opened the form to add a person")
    form = PersonForm(managers=_managers(db))
    if form.is_submitted():
        try:
            added = directory.add(db, current_user, form.values(), invite_from=get_ctx().settings.base_url)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            flash(f"{added.name} was added and emailed a link to choose their password.", "success")
            return redirect(url_for("people.edit", person_id=added.id))
    return render_template("people/person.html", form=form, person=None)


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@login_required
def edit(person_id: int):
    db = get_db()
    found = directory.person(db, current_user, person_id)
    form = PersonForm(obj=None if request.method == "POST" else _as_form(found), managers=_managers(db, found))
    if form.is_submitted():
        try:
            directory.update(db, current_user, person_id, form.values())
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            flash(f"{found.name}'s details were saved.", "success")
            return redirect(url_for("people.edit", person_id=person_id))
    return render_template("people/person.html", form=form, person=found, action=ActionForm(formdata=None))


@bp.route("/<int:person_id>/deactivate", methods=["POST"])
@login_required
def deactivate(person_id: int):
    return _act(person_id, directory.deactivate, "{name} can no longer sign in; their cases are kept whole.")


@bp.route("/<int:person_id>/invite", methods=["POST"])
@login_required
def invite(person_id: int):
    def send(db, actor, found_id):
        return directory.send_invitation(db, actor, found_id, get_ctx().settings.base_url)

    return _act(person_id, send, "{name} was emailed a new link to choose their password.")


def _act(person_id: int, operation, done: str):
    db = get_db()
    found = directory.person(db, current_user, person_id)  # (its CSRF token is checked before any route)
    try:
        operation(db, current_user, person_id)
    except InvalidInput as error:
        db.rollback()
        flash(" ".join(m for messages in error.errors.values() for m in messages), "danger")
    else:
        flash(done.format(name=found.name), "success")
    return redirect(url_for("people.edit", person_id=person_id))


def _managers(db, found: User | None = None) -> list[User]:
    """Who may be a line manager: anyone active on record but the person themselves."""
    return [p for p in people.active_people(db) if found is None or p.id != found.id]


def _as_form(found: User) -> SimpleNamespace:
    """A person's details as the form's fields name them."""
    return SimpleNamespace(
        name=found.name,
        email=found.email,
        job_title=found.job_title,
        person_type=found.person_type,
        line_manager_email=found.line_manager.email if found.line_manager else "",
        roles=sorted(found.roles),
    )
