"""The disciplinary steps after the first hearing's forms, over HTTP: each
refuses bad input beside the field, keeps what was typed and records nothing;
then takes good input and the case moves on. Only the person a step waits for
may open or submit it. Earlier steps are driven through the operations layer
(tests/workflows/procedures/disciplinary/drive.py), on a moved clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from models import Case, CaseTask, Letter, TaskState
from tests.workflows.procedures.disciplinary.drive import Drive
from workflows.engine import clock
from workflows.engine.queries import case_data
from workflows.procedures.disciplinary import warning_register
from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary

from . import test_pages as pages
from .test_pages import task_url

people = pages.people  # the same people as the other disciplinary pages


def as_user(web, user) -> None:
    """Sign in as `user` (signing out whoever was, as test_pages' as_user does)."""
    if web.client.get("/").status_code == 200:
        pages.as_user(web, user)
    else:
        web.login(user)


# --- reading a re-rendered form ----------------------------------------------------


class FormPage(HTMLParser):
    """The page's form as a person sees it: the value each field shows (the
    text typed, the radio checked, the option selected) and the messages in
    the field's own block (Bootstrap-Flask's `mb-3` div around it)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str | None] = {}
        self.errors: dict[str, list[str]] = {}
        self._divs: list[dict | None] = []  # the open divs; a field's block is a dict
        self._textarea: str | None = None  # the textarea being read, and its text
        self._message: list[str] | None = None  # the message being read
        self._text: list[str] = []
        self._select: str | None = None
        self.feed(html)

    def _block(self) -> dict | None:
        return next((d for d in reversed(self._divs) if d is not None), None)

    def _in_block(self, name: str) -> None:
        block = self._block()
        if block is not None and name not in block["names"]:
            block["names"].append(name)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes, name = (a.get("class") or "").split(), a.get("name")
        if tag == "div":
            self._divs.append({"names": [], "messages": []} if "mb-3" in classes else None)
            if "invalid-feedback" in classes:
                self._message, self._text = [], []
            return
        if not name or name == "csrf_token":
            if tag == "option" and self._select and "selected" in a:
                self.values[self._select] = a.get("value")
            return
        self._in_block(name)
        if tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.values.setdefault(name, None)
            if "checked" in a:
                self.values[name] = a.get("value")
        elif tag == "input":
            self.values[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select, self.values[name] = name, None

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:  # a browser drops the newline that opens a textarea
            self.values[self._textarea] = re.sub(r"\A\r?\n", "", "".join(self._text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "div" and self._divs:
            block = self._block()
            if self._message is not None and block is not None:
                block["messages"].append(" ".join("".join(self._text).split()))
            self._message = None
            closed = self._divs.pop()
            for name in closed["names"] if closed else ():
                self.errors.setdefault(name, []).extend(closed["messages"])


def refused(web, url: str, data: dict, **messages: str) -> FormPage:
    """Submit `data`; the form comes back (200, never a 500) with each
    message beside its field, and nothing else beside any other field."""
    response = web.submit(url, data)
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:3000])
    form = FormPage(response.get_data(as_text=True))
    for field, message in messages.items():
        assert any(message in m for m in form.errors.get(field, [])), (field, form.errors)
    shown = {field for field, found in form.errors.items() if found}
    assert shown == set(messages), form.errors
    return form


def kept(form: FormPage, **typed: str | None) -> None:
    """Each field shows again what was typed (or chose)."""
    for field, value in typed.items():
        assert form.values.get(field) == value, (field, form.values.get(field), value)


# --- cases, and what was recorded on them -----------------------------------------------


def letters(db, case) -> list[str]:
    return list(db.scalars(select(Letter.kind).where(Letter.case_id == case.id).order_by(Letter.id)))


def fresh(db, case) -> Case:
    """The case as the web requests left it (they commit on their own sessions)."""
    db.expire_all()
    return db.get(Case, case.id)


def ready(db, case) -> list[str]:
    return list(
        db.scalars(
            select(CaseTask.bpmn_id)
            .where(CaseTask.case_id == case.id, CaseTask.state == TaskState.READY)
            .order_by(CaseTask.id)
        )
    )


class Waiting:
    """A step waiting on a case: its page, and proof nothing was recorded."""

    def __init__(self, db, case, bpmn_id: str):
        self.db, self.case, self.bpmn_id = db, case, bpmn_id
        self.url = task_url(db, case, bpmn_id)
        self.task_id = int(self.url.rsplit("/", 1)[1])
        self.letters = letters(db, case)
        self.ready = ready(db, case)

    def nothing_recorded(self, *fields: str) -> None:
        case = fresh(self.db, self.case)
        assert task_url(self.db, case, self.bpmn_id) == self.url  # the same step, still ready
        assert ready(self.db, case) == self.ready
        assert letters(self.db, case) == self.letters  # no letter issued
        known = case_data(case)
        assert not [f for f in fields if f in known], known


def only_for(web, step: Waiting, allowed, others, data: dict) -> None:
    """Anyone else is refused the step (403), opening it or posting to it;
    the person it waits for opens it."""
    for other in others:
        as_user(web, other)
        assert web.client.get(step.url).status_code == 403, other.name
        assert web.submit(step.url, data, form_page="/").status_code == 403, other.name
    step.nothing_recorded(*data)
    as_user(web, allowed)
    assert web.client.get(step.url).status_code == 200


def accepted(web, step: Waiting, data: dict, by) -> Case:
    """Good input: recorded (302, to the case page), the step done by `by`."""
    response = web.submit(step.url, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    case = fresh(step.db, step.case)
    assert response.headers["Location"].endswith(f"/cases/{case.reference}")
    task = step.db.get(CaseTask, step.task_id)
    assert (task.state, task.completed_by_id) == (TaskState.COMPLETED, by.id)
    return case


def opened(ctx, people) -> Drive:
    """A case opened by HR about Ellie, to be driven through the operations layer."""
    case = open_disciplinary(
        ctx,
        people["hr"],
        DisciplinaryOpening(
            subject=people["employee"],
            clauses=["SMP-5.5"],
            allegation="Posted a photo of a service user on a public page without consent.",
            reason="She admitted it in writing; the facts are not in dispute.",
        ),
    )
    return Drive(ctx, case, people)


@pytest.fixture
def drive(ctx, people) -> Drive:
    return opened(ctx, people)


def appeal(drive: Drive) -> None:
    drive.step(
        "UserTask_Appeal",
        "employee",
        appeal_choice="appeal",
        appeal_grounds="A warning is too harsh: I removed the post at once and apologised.",
    )


def appealed_to(drive: Drive, people) -> None:
    """Decided (a first written warning, on Tuesday 10 March), appealed in
    time, and an appeal officer appointed."""
    drive.to_decision()
    drive.decide()
    appeal(drive)
    drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=people["hub"].id)


# --- before the hearing: HR decides on a further new time ------------------------------------


def test_hr_decides_on_a_further_new_time(db, web, people, drive):
    drive.appoint()
    drive.invite()  # Tuesday 10 March at 10:00
    drive.companion(companion_unavailable=True, proposed_at="2026-03-12T14:00")  # a first: granted
    drive.companion(companion_unavailable=True, proposed_at="2026-03-13T14:00")  # a further one: HR's
    db.commit()
    step = Waiting(db, drive.case, "UserTask_DecidePostponement")
    good = {"postponement_granted": "yes", "postponement_reasons": "The companion's reason is good; it is a day."}
    only_for(web, step, people["hr"], [people["employee"], people["officer"]], good)
    assert "Fri 13 Mar 2026, 14:00" in web.text(step.url)  # HR sees the time asked for

    form = refused(
        web,
        step.url,
        {"postponement_reasons": "Too busy"},
        postponement_granted="Say whether the new time is granted.",
        postponement_reasons="Field must be between 10 and 4000 characters long.",
    )
    kept(form, postponement_granted=None, postponement_reasons="Too busy")
    form = refused(
        web,
        step.url,
        {"postponement_granted": "no", "postponement_reasons": "  "},
        postponement_reasons="This field is required.",
    )
    kept(form, postponement_granted="no")
    refused(
        web,
        step.url,
        {"postponement_granted": "perhaps", "postponement_reasons": "Ask the panel first."},
        postponement_granted="Say whether the new time is granted.",
    )
    step.nothing_recorded("postponement_granted", "postponement_reasons")
    assert case_data(fresh(db, drive.case))["hearing_at"].startswith("2026-03-12T14:00")

    case = accepted(web, step, good, by=people["hr"])
    data = case_data(case)
    assert data["hearing_at"].startswith("2026-03-13T14:00") and data["postponements"] == 2
    assert letters(db, case).count("hearing_rescheduled") == 2
    assert ready(db, case) == ["UserTask_Companion"]  # the employee is asked again, for the new time


# --- after repeated absence: HR decides ------------------------------------------------------


def test_hr_decides_after_repeated_absence(db, web, people, drive):
    drive.appoint()
    drive.invite()
    drive.companion(companion_choice="none", companion_name="")
    drive.hear(attendance="absent_no_reason", hearing_notes="", employee_response="")
    drive.invite(at="2026-03-18T10:00")  # a first absence: a new date
    drive.companion(companion_choice="none", companion_name="")
    drive.hear(attendance="absent_no_reason", hearing_notes="", employee_response="")
    db.commit()
    step = Waiting(db, drive.case, "UserTask_NonAttendance")
    good = {"non_attendance_decision": "proceed", "non_attendance_reasons": "Two absences without a reason given."}
    only_for(web, step, people["hr"], [people["employee"], people["officer"]], good)

    form = refused(
        web,
        step.url,
        {"non_attendance_reasons": "Absent."},
        non_attendance_decision="Choose what happens next.",
        non_attendance_reasons="Field must be between 10 and 4000 characters long.",
    )
    kept(form, non_attendance_decision=None, non_attendance_reasons="Absent.")
    form = refused(
        web,
        step.url,
        {"non_attendance_decision": "proceed", "non_attendance_reasons": ""},
        non_attendance_reasons="This field is required.",
    )
    kept(form, non_attendance_decision="proceed")
    form = refused(  # not a choice the form offers (a dismissal needs a decision, after the procedure)
        web,
        step.url,
        {"non_attendance_decision": "dismiss", "non_attendance_reasons": "Two absences without a reason given."},
        non_attendance_decision="Choose what happens next.",
    )
    kept(form, non_attendance_reasons="Two absences without a reason given.")
    step.nothing_recorded("non_attendance_decision", "non_attendance_reasons")
    assert case_data(fresh(db, drive.case))["proceeded_on_evidence"] is False

    case = accepted(web, step, good, by=people["hr"])
    assert case_data(case)["proceeded_on_evidence"] is True
    assert ready(db, case) == ["UserTask_Decide"]


# --- the employee's appeal -------------------------------------------------------------------


def test_the_employee_appeals_with_grounds(db, web, people, drive):
    drive.to_decision()
    drive.decide()  # a first written warning on Tuesday 10 March; appeal by Tuesday 17 March
    db.commit()
    step = Waiting(db, drive.case, "UserTask_Appeal")
    grounds = "A warning is too harsh: I removed the post at once and apologised."
    good = {"appeal_choice": "appeal", "appeal_grounds": grounds}
    only_for(web, step, people["employee"], [people["hr"], people["officer"]], good)

    form = refused(web, step.url, {"appeal_grounds": grounds}, appeal_choice="Say whether you want to appeal.")
    kept(form, appeal_choice=None, appeal_grounds=grounds)
    form = refused(
        web,
        step.url,
        {"appeal_choice": "appeal", "appeal_grounds": " \n "},
        appeal_grounds="Give the grounds of your appeal.",
    )
    kept(form, appeal_choice="appeal")
    step.nothing_recorded("appeal_choice", "appeal_grounds", "appealed_on")

    clock.advance(timedelta(days=6))  # Monday 16 March: in time
    case = accepted(web, step, good, by=people["employee"])
    data = case_data(case)
    assert (data["appeal_late"], data["appealed_on"], data["appeal_grounds"]) == (False, "2026-03-16", grounds)
    assert ready(db, case) == ["UserTask_AppointAppealOfficer"]


def test_hr_decides_on_a_late_appeal(db, web, people, drive):
    drive.to_decision()
    drive.decide()
    clock.advance(timedelta(days=8))  # Wednesday 18 March: past the end of Tuesday 17 March
    appeal(drive)
    db.commit()
    step = Waiting(db, drive.case, "UserTask_LateAppeal")
    good = {"late_appeal_accepted": "no", "late_appeal_reasons": "No reason was given for the delay."}
    only_for(web, step, people["hr"], [people["employee"], people["officer"]], good)
    assert "Grounds of appeal (late)" in web.text(step.url)

    form = refused(
        web,
        step.url,
        {"late_appeal_reasons": "Late."},
        late_appeal_accepted="Say whether the late appeal is accepted.",
        late_appeal_reasons="Field must be between 10 and 4000 characters long.",
    )
    kept(form, late_appeal_accepted=None, late_appeal_reasons="Late.")
    form = refused(
        web,
        step.url,
        {"late_appeal_accepted": "no", "late_appeal_reasons": ""},
        late_appeal_reasons="This field is required.",
    )
    kept(form, late_appeal_accepted="no")
    step.nothing_recorded("late_appeal_accepted", "late_appeal_reasons")
    assert fresh(db, drive.case).closed_at is None

    case = accepted(web, step, good, by=people["hr"])
    assert letters(db, case)[-1] == "late_appeal_refused"
    assert case.closed_at and ready(db, case) == []


# --- HR appoints an appeal officer who was not involved -------------------------------------


def test_hr_appoints_an_appeal_officer_not_involved(db, web, people, drive):
    drive.to_decision()  # Priya Shah hears it, appointed by Hana Hussain (HR)
    drive.decide()
    appeal(drive)
    db.commit()
    step = Waiting(db, drive.case, "UserTask_AppointAppealOfficer")
    good = {"appeal_officer_id": str(people["hub"].id), "seniority_reason": ""}
    only_for(web, step, people["hr"], [people["employee"], people["officer"]], good)
    page = web.text(step.url)
    assert f'<option value="{people["hub"].id}">' in page
    for involved in ("officer", "hr", "employee"):
        assert f'<option value="{people[involved].id}">' not in page  # never offered

    reference = drive.case.reference
    form = refused(
        web,
        step.url,
        {"appeal_officer_id": str(people["officer"].id), "seniority_reason": "She knows the case best."},
        appeal_officer_id=f"Priya Shah is its hearing officer ({reference}): choose someone not involved.",
    )
    kept(form, seniority_reason="She knows the case best.")
    refused(
        web,
        step.url,
        {"appeal_officer_id": str(people["hr"].id)},
        appeal_officer_id=f"Hana Hussain did 'Appoint a hearing officer' ({reference}): choose someone not involved.",
    )
    refused(
        web,
        step.url,
        {"appeal_officer_id": str(people["employee"].id)},
        appeal_officer_id="Choose an HR officer or a manager.",
    )
    refused(web, step.url, {"appeal_officer_id": "0"}, appeal_officer_id="Choose an appeal officer.")
    form = refused(  # as senior as the hearing officer, when someone more senior is free
        web,
        step.url,
        {"appeal_officer_id": str(people["manager"].id), "seniority_reason": ""},
        seniority_reason="Grace Okafor is senior to the hearing officer, Priya Shah, and was not involved.",
    )
    kept(form, appeal_officer_id=str(people["manager"].id))
    step.nothing_recorded("appeal_officer_id", "appeal_officer_name")

    case = accepted(web, step, good, by=people["hr"])
    assert case_data(case)["appeal_officer_name"] == "Grace Okafor"
    assert {(p.role, p.user_id) for p in case.parties} >= {("Appeal officer", people["hub"].id)}
    assert ready(db, case) == ["UserTask_AppealInvite"]


# --- HR invites to the appeal hearing, with notice --------------------------------------------


def test_hr_invites_to_the_appeal_hearing_with_notice(db, web, people, drive):
    appealed_to(drive, people)  # on Tuesday 10 March
    db.commit()
    step = Waiting(db, drive.case, "UserTask_AppealInvite")
    good = {"appeal_hearing_at": "2026-03-18T10:00", "appeal_place": "Room 1, the Hub", "appeal_message": ""}
    only_for(web, step, people["hr"], [people["employee"], people["hub"]], good)

    refused(
        web,
        step.url,
        {"appeal_hearing_at": "", "appeal_place": ""},
        appeal_hearing_at="Give the date and time of the appeal hearing.",
        appeal_place="Say where the appeal hearing will be held (or how to join it).",
    )
    typed = {"appeal_hearing_at": "2026-03-16T10:00", "appeal_place": "Room 1, the Hub", "appeal_message": "Bring it."}
    form = refused(
        web,
        step.url,
        typed,
        appeal_hearing_at="With 5 working days' notice, the hearing can be on Tuesday 17 March 2026 at the earliest",
    )
    kept(form, **typed)
    form = refused(
        web,
        step.url,
        {"appeal_hearing_at": "2026-03-18T10:00", "appeal_place": " "},
        appeal_place="Say where the appeal hearing will be held",
    )
    kept(form, appeal_hearing_at="2026-03-18T10:00")
    form = refused(
        web,
        step.url,
        {"appeal_hearing_at": "next Wednesday", "appeal_place": "Room 1, the Hub"},
        appeal_hearing_at="Not a valid datetime value.",
    )
    kept(form, appeal_hearing_at="next Wednesday", appeal_place="Room 1, the Hub")
    step.nothing_recorded("appeal_hearing_at", "appeal_place", "appeal_invitation_issued_at")
    assert fresh(db, drive.case).status != "appeal"

    case = accepted(web, step, good, by=people["hr"])
    assert case.status == "appeal" and letters(db, case)[-1] == "appeal_invitation"
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id, Letter.kind == "appeal_invitation"))
    assert "Wednesday 18 March 2026 at 10:00" in letter.body and "Room 1, the Hub" in letter.body
    assert ready(db, case) == ["UserTask_AppealCompanion"]


def test_the_appeal_notice_counts_from_today_in_uk_time(ctx, db, web, people):
    """Just after midnight in British Summer Time it is already tomorrow in the
    UK (not yet in UTC): the notice counts from the UK day, and the earliest
    date and the letter's time are UK ones."""
    clock.freeze(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))  # Monday 1 June, 09:00 BST
    drive = opened(ctx, people)
    drive.to_decision(at="2026-06-09T10:00")
    drive.decide()  # Tuesday 9 June
    appeal(drive)
    drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=people["hub"].id)
    db.commit()
    clock.freeze(datetime(2026, 6, 9, 23, 30, tzinfo=UTC))  # 00:30 on Wednesday 10 June in the UK
    step = Waiting(db, drive.case, "UserTask_AppealInvite")
    as_user(web, people["hr"])
    form = refused(
        web,
        step.url,
        {"appeal_hearing_at": "2026-06-16T10:00", "appeal_place": "Room 1"},
        appeal_hearing_at="the hearing can be on Wednesday 17 June 2026 at the earliest",
    )
    kept(form, appeal_hearing_at="2026-06-16T10:00", appeal_place="Room 1")
    step.nothing_recorded("appeal_hearing_at")

    case = accepted(web, step, {"appeal_hearing_at": "2026-06-17T09:30", "appeal_place": "Room 1"}, by=people["hr"])
    assert case_data(case)["appeal_hearing_at"] == "2026-06-17T08:30:00+00:00"  # kept in UTC
    letter = db.scalar(select(Letter).where(Letter.case_id == case.id, Letter.kind == "appeal_invitation"))
    assert "Wednesday 17 June 2026 at 09:30" in letter.body


# --- the employee names a companion for the appeal ---------------------------------------------


def test_the_employee_names_a_companion_for_the_appeal(db, web, people, drive):
    appealed_to(drive, people)
    drive.step("UserTask_AppealInvite", "hr", appeal_hearing_at="2026-03-18T10:00", appeal_place="Room 1")
    db.commit()
    step = Waiting(db, drive.case, "UserTask_AppealCompanion")
    good = {"appeal_companion_choice": "union_official", "appeal_companion_name": "Una Union"}
    only_for(web, step, people["employee"], [people["hr"], people["hub"]], good)
    page = web.text(step.url)
    assert "a trade union official" in page
    assert "Wed 18 Mar 2026, 10:00 (UK time), Room 1" in page  # when the appeal is, not only the first hearing

    form = refused(
        web,
        step.url,
        {"appeal_companion_choice": "union_official", "appeal_companion_name": ""},
        appeal_companion_name="Give your companion's name.",
    )
    kept(form, appeal_companion_choice="union_official", appeal_companion_name="")
    form = refused(
        web,
        step.url,
        {"appeal_companion_name": "Una Union"},
        appeal_companion_choice="Say whether someone will come with you.",
    )
    kept(form, appeal_companion_choice=None, appeal_companion_name="Una Union")
    form = refused(  # not a companion the law gives the right to
        web,
        step.url,
        {"appeal_companion_choice": "solicitor", "appeal_companion_name": "Larry Law"},
        appeal_companion_choice="Say whether someone will come with you.",
    )
    kept(form, appeal_companion_name="Larry Law")
    step.nothing_recorded("appeal_companion_choice", "appeal_companion_name")

    case = accepted(web, step, good, by=people["employee"])
    assert (case_data(case)["appeal_companion_choice"], case_data(case)["appeal_companion_name"]) == (
        "union_official",
        "Una Union",
    )
    assert ready(db, case) == ["UserTask_AppealHearing"]


# --- the appeal officer records the appeal hearing ---------------------------------------------


def test_the_appeal_officer_records_the_appeal_once_heard(db, web, people, drive):
    drive.to_decision()
    drive.decide(sanction="final_written", serious_first_offence_reason="A vulnerable child was identifiable.")
    appeal(drive)
    drive.step("UserTask_AppointAppealOfficer", "hr", appeal_officer_id=people["hub"].id)
    drive.step("UserTask_AppealInvite", "hr", appeal_hearing_at="2026-03-18T10:00", appeal_place="Room 1")
    drive.step("UserTask_AppealCompanion", "employee", appeal_companion_choice="none", appeal_companion_name="")
    db.commit()
    step = Waiting(db, drive.case, "UserTask_AppealHearing")
    reasons = "Mitigation outweighs: removed at once, apologised, a clean record."
    good = {
        "appeal_attendance": "attended",
        "appeal_notes": "Heard the grounds; she explained the removal.",
        "appeal_outcome": "varied",
        "varied_sanction": "first_written",
        "appeal_reasons": reasons,
    }
    only_for(web, step, people["hub"], [people["employee"], people["hr"], people["officer"]], good)
    page = web.text(step.url)
    assert "Wed 18 Mar 2026, 10:00 (UK time), Room 1" in page and "A warning is too harsh" in page  # when; grounds

    form = refused(  # Tuesday 10 March: the appeal is heard on the 18th
        web,
        step.url,
        good,
        appeal_attendance="The appeal hearing is on Wednesday 18 March 2026 at 10:00 (UK time): "
        "record it once it has taken place.",
    )
    kept(form, **good)
    clock.advance(timedelta(days=8, hours=1))  # Wednesday 18 March, 12:00
    form = refused(
        web,
        step.url,
        {**good, "varied_sanction": ""},
        varied_sanction="Choose the lesser sanction.",
    )
    kept(form, appeal_outcome="varied", appeal_notes=good["appeal_notes"], appeal_reasons=reasons, varied_sanction="")
    form = refused(
        web,
        step.url,
        {**good, "varied_sanction": "final_written"},
        varied_sanction="An appeal may only vary the outcome to a lesser sanction than final written warning.",
    )
    kept(form, appeal_outcome="varied", appeal_reasons=reasons)
    form = refused(
        web,
        step.url,
        {"varied_sanction": "first_written", "appeal_notes": " ", "appeal_reasons": "Too harsh."},
        appeal_attendance="Say whether the employee attended.",
        appeal_notes="Record the notes of the appeal hearing.",
        appeal_outcome="Choose the appeal's outcome.",
        appeal_reasons="Field must be between 20 and 20000 characters long.",
    )
    kept(form, varied_sanction="first_written", appeal_reasons="Too harsh.")
    step.nothing_recorded("appeal_outcome", "final_sanction", "appeal_decided_on")
    [warning] = warning_register.warnings_of(db, people["employee"])
    assert (warning.level, warning.revoked_on) == ("final_written", None)

    case = accepted(web, step, good, by=people["hub"])
    assert case_data(case)["final_sanction"] == "first_written"
    assert case.status == "appeal_decided" and case.closed_at and ready(db, case) == []
    assert letters(db, case)[-1] == "appeal_outcome"
    levels = {(w.level, w.revoked_on is None) for w in warning_register.warnings_of(db, people["employee"])}
    assert levels == {("final_written", False), ("first_written", True)}  # the final one replaced
