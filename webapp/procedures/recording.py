"""The page for something HR records at any point of a case (a suspension,
a grievance, personal data found...): one page shape for every procedure
that has such events, each naming its own in a table of `Recordable`s."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from models import Case
from workflows.engine import access, events, registry
from workflows.engine.cases import get_case, may_look
from workflows.engine.errors import InvalidInput

from ..extensions import get_ctx, get_db
from ..forms import show_errors


@dataclass(frozen=True)
class Recordable:
    signal: str  # what the diagram waits for
    form: type[FlaskForm]
    heading: str
    then: Callable[[Case], str]  # what the flash says follows


def offered(kind: str, table: Mapping[str, Recordable], case: Case) -> list[tuple[str, str]]:
    """The links the case page offers this person: HR, never the subject."""
    if case.kind != kind or case.closed_at is not None:
        return []
    procedure = registry.get(kind)
    return [
        (name, item.heading)
        for name, item in table.items()
        if events.may_record(current_user, case, procedure.recording(item.signal))
    ]


def record_page(kind: str, table: Mapping[str, Recordable], reference: str, what: str, template: str):
    if what not in table:
        abort(404)
    item, db = table[what], get_db()
    case = get_case(db, reference)
    if case.kind != kind:
        abort(404)
    if not may_look(db, current_user, case) or not events.may_record(
        current_user, case, registry.get(kind).recording(item.signal)
    ):
        access.refuse(current_user, case, f"opened the page to {item.heading.lower()}")
    form = item.form()
    if form.validate_on_submit():
        data = {f.name: f.data for f in form if f.name not in ("csrf_token", "submit")}
        try:
            events.record(get_ctx(), case, current_user, item.signal, data)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error, next(iter(data)))
        else:
            flash(item.then(case), "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template(template, form=form, case=case, heading=item.heading)
