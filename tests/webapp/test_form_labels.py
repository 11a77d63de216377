"""Forms a screen reader can follow: a group of radio buttons or tick boxes
is a fieldset named by its legend, and every label points at a control."""

from __future__ import annotations

import re

from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import ready_task

CONTROL_ID = re.compile(r"<(?:input|select|textarea)\b[^>]*\bid=\"([^\"]+)\"")


def dangling_labels(html: str) -> list[str]:
    """Labels whose `for` names no control on the page."""
    controls = set(CONTROL_ID.findall(html))
    return [target for target in re.findall(r"<label\b[^>]*\bfor=\"([^\"]+)\"", html) if target not in controls]


def test_a_step_s_radio_group_is_a_fieldset_with_a_legend(ctx, db, web):
    manager = make_manager(db, "Mark Taylor")
    ellie = make_user(db, "Ellie Jones", line_manager=manager)
    case = make_takedown(ctx, manager, ellie)
    web.login(ellie)
    html = web.text(f"/tasks/{ready_task(db, case, 'UserTask_Respond').id}")
    fieldsets = re.findall(r"<fieldset\b.*?</fieldset>", html, flags=re.S)
    [response] = [f for f in fieldsets if 'name="response"' in f]
    assert re.search(r"<legend\b[^>]*>[^<]+</legend>", response)
    assert dangling_labels(html) == []


def test_every_label_of_the_opening_forms_points_at_its_control(db, web):
    web.login(make_hr(db, "Hana HR"))
    for url in ("/breach/new", "/takedown/new", "/disciplinary/new", "/monitoring/new", "/inaccurate-information/new"):
        assert dangling_labels(web.text(url)) == [], url
    web.logout()
    assert dangling_labels(web.text("/login")) == []
