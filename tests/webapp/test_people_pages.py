"""The people directory's pages, for admins: add a person (emailed a link
to choose a password), change their roles and line manager, deactivate
them; every fault named beside its field with what was typed; nobody else."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import AuditEvent, OutboxMessage, User
from tests.factories import make_hr, make_manager, make_takedown, make_user


def _admin(db):
    return make_user(db, "Ada Admin", roles=("admin",))


def _person(db, email: str) -> User:
    return db.scalar(select(User).where(User.email == email))


def test_an_admin_adds_a_person_who_is_emailed_a_link_to_choose_a_password(web, db):
    manager = make_manager(db, "Mo Manager")
    web.login(_admin(db))
    added = web.submit(
        "/admin/people/new",
        {
            "name": "Priya Patel",
            "email": "Priya.Patel@bcwhub.test",
            "person_type": "employee",
            "job_title": "Youth worker",
            "line_manager_email": manager.email,
            "roles": ["hr"],
        },
    )
    assert added.status_code == 302
    priya = _person(db, "priya.patel@bcwhub.test")
    assert (priya.name, priya.job_title, priya.line_manager_id, sorted(priya.roles)) == (
        "Priya Patel",
        "Youth worker",
        manager.id,
        ["hr"],
    )
    invitation = db.scalar(select(OutboxMessage).where(OutboxMessage.to_email == priya.email))
    assert invitation is not None and "/account/welcome/" in invitation.body
    page = web.text(added.headers["Location"])
    assert "Priya Patel was added and emailed a link to choose their password." in page
    found = web.text("/admin/people/?q=priya")
    assert "Priya Patel" in found and "<td>HR</td>" in found and "<td>Mo Manager</td>" in found  # role, line manager
    assert ">Ada Admin</a>" not in found and ">Ada Admin</a>" in web.text("/admin/people/")


def test_a_refused_person_names_every_fault_beside_its_field_and_keeps_what_was_typed(web, db):
    taken = make_user(db, "Tom Taken")
    web.login(_admin(db))
    page = web.submit(
        "/admin/people/new",
        {
            "name": "Tomasz Nowak",
            "email": taken.email.upper(),
            "job_title": "x" * 121,
            "person_type": "contractor",
            "roles": ["owner"],
        },
    ).get_data(as_text=True)
    assert "One of: employee, volunteer, trustee." in page and "Each one of: hr, manager" in page
    assert f"Person #{taken.id} already has the email {taken.email.lower()}." in page
    assert "At most 120 characters." in page and 'value="Tomasz Nowak"' in page
    assert "Nothing was saved" in page
    assert db.scalar(select(func.count()).select_from(User).where(User.name == "Tomasz Nowak")) == 0


def test_an_admin_changes_roles_and_line_manager_audited_and_a_loop_in_the_line_is_refused(web, db):
    boss, ellie = make_manager(db, "Mo Manager"), make_user(db, "Ellie Jones")
    admin = _admin(db)
    web.login(admin)
    url = f"/admin/people/{ellie.id}"
    form = {"name": ellie.name, "email": ellie.email, "person_type": "employee", "line_manager_email": boss.email}
    assert web.submit(url, {**form, "roles": ["manager"]}).status_code == 302
    db.refresh(ellie)
    assert sorted(ellie.roles) == ["manager"] and ellie.line_manager_id == boss.id
    changed = db.scalar(select(AuditEvent).where(AuditEvent.action == "user_updated"))
    assert changed.actor_id == admin.id and changed.data["after"]["roles"] == ["manager"]
    # Mo cannot report to Ellie, who reports to Mo.
    mo_form = {"name": boss.name, "email": boss.email, "person_type": "employee", "line_manager_email": ellie.email}
    page = web.submit(f"/admin/people/{boss.id}", mo_form).get_data(as_text=True)
    assert "Ellie Jones cannot manage Mo Manager: they are in Mo Manager&#39;s line." in page
    db.refresh(boss)
    assert boss.line_manager_id is None


def test_deactivating_keeps_their_cases_and_no_admin_deactivates_themselves(web, ctx, db):
    ellie, admin = make_user(db, "Ellie Jones"), _admin(db)
    case = make_takedown(ctx, make_manager(db), ellie)
    web.login(admin)
    done = web.submit(f"/admin/people/{ellie.id}/deactivate", {}, form_page=f"/admin/people/{ellie.id}")
    db.refresh(ellie)
    assert done.status_code == 302 and not ellie.active and case.subject_id == ellie.id
    assert "their cases are kept whole" in web.text(done.headers["Location"])
    mine = web.text(f"/admin/people/{admin.id}")
    assert "Deactivate</button>" not in mine
    refused = web.submit(f"/admin/people/{admin.id}/deactivate", {}, form_page=f"/admin/people/{admin.id}")
    assert "An account cannot deactivate itself." in web.text(refused.headers["Location"])
    db.refresh(admin)
    assert admin.active


def test_an_admin_sends_a_new_link_and_a_deactivated_person_is_sent_none(web, db):
    ellie = make_user(db, "Ellie Jones")
    web.login(_admin(db))
    sent = web.submit(f"/admin/people/{ellie.id}/invite", {}, form_page=f"/admin/people/{ellie.id}")
    assert "was emailed a new link" in web.text(sent.headers["Location"])
    assert db.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to_email == ellie.email)) == 1
    page = web.text(f"/admin/people/{ellie.id}")
    assert "Email a new link" in page
    ellie.active = False
    db.flush()
    assert "Email a new link" not in web.text(f"/admin/people/{ellie.id}")


def test_hr_and_managers_cannot_open_the_directory_and_each_refusal_is_recorded(web, db):
    hr, manager = make_hr(db), make_manager(db)
    for person in (hr, manager):
        web.login(person)
        assert web.client.get("/admin/people/").status_code == 403
        assert web.client.get(f"/admin/people/{person.id}").status_code == 403
        assert "/admin/people/" not in web.text("/")  # no link to it either
        web.logout()
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
    assert sorted(e.actor_id for e in denied) == sorted([hr.id, hr.id, manager.id, manager.id])
    assert re.search(r"directory", denied[0].data.get("attempted", "") + str(denied[0].data))
