"""The people and cases the access matrix (test_access_matrix.py) runs over.

Every role (HR, manager, Hub Manager, admin, plain employee, volunteer) meets
cases as: nobody (none), the subject, the reporter, a reporter who holds the
pool role of a waiting step (the Hub Manager while the overdue ICO decision
waits in that pool, or a report of inaccurate information passed to them),
the requester, the investigator, the HR party, and the person reporting
inaccurate information and their line manager, wherever the product lets
that role hold that relation. Cases are opened and
moved on by the operations the pages use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from models import Case, PersonType, Role, User
from workflows.demo import DEMO_PNG
from workflows.engine import casefile, clock
from workflows.engine.evidence import store_upload
from workflows.engine.timers import fire_due_timers

from ..factories import make_breach, make_inaccuracy_report, make_takedown, make_user
from ..workflows.helpers import complete
from ..workflows.procedures.campaign_permission import authorise, make_campaign
from ..workflows.procedures.monitoring import make_finding, restriction

ROLES = {
    "hr": (Role.HR,),
    "manager": (Role.MANAGER,),
    "hub_manager": (Role.HUB_MANAGER,),
    "admin": (Role.ADMIN,),
    "employee": (),
    "volunteer": (),
}
OPENS_TAKEDOWNS = ("hr", "manager", "hub_manager")
INVESTIGATES = ("hr", "manager")  # steps.investigator_choices


@dataclass
class Persona:
    role: str
    relation: str
    user: User | None  # None: not signed in

    @property
    def key(self) -> str:
        return f"{self.role}/{self.relation}"


@dataclass
class World:
    personas: list[Persona]
    cases: dict[str, Case]
    strangers: tuple[str, ...]  # cases every persona is tried on, besides those they are on


def person(db, role: str, label: str) -> User:
    kind = PersonType.VOLUNTEER if role == "volunteer" else PersonType.EMPLOYEE
    return make_user(db, f"{label} {role}", roles=ROLES[role], person_type=kind)


def _png(n: int) -> BytesIO:
    return BytesIO(DEMO_PNG + bytes([n % 256, n // 256]))  # distinct files, distinct hashes


def _case_file(ctx, case: Case, hr: User, n: int) -> None:
    """Evidence shared with the subject, evidence not shared, an interview note."""
    for shared in (True, False):
        item = store_upload(ctx.settings, _png(2 * n + shared), f"shot-{n}.png", hr, "A screenshot")
        casefile.add_evidence(ctx, case, hr, item, shared)
    casefile.add_interview_note(ctx, case, hr, "A witness", clock.now().date(), "What they saw.")


def _triage(ctx, case: Case, hr: User, investigator: User, **answers) -> None:
    data = {
        "severity": "serious",
        "personal_data_published": False,
        "suspension_needed": True,  # a suspension notice: a letter to the subject
        "suspension_reason": "To protect a service user.",
        "investigator_id": investigator.id,
        "manager_conflict_reason": "",
        **answers,
    }
    complete(ctx, case, "UserTask_Triage", hr, **data)


def _ico_case(ctx, db, hana: User, investigator: User) -> tuple[Case, Persona]:
    """Personal data published, HR's 72 hours lapsed: the ICO decision waits
    in the Hub Manager pool, and the reporter is a Hub Manager."""
    reporter = person(db, "hub_manager", "Reporting")
    case = make_breach(ctx, hana, person(db, "employee", "Exposed"), reported_by=reporter)
    _case_file(ctx, case, hana, 90)
    _triage(ctx, case, hana, investigator, personal_data_published=True, suspension_needed=False, suspension_reason="")
    clock.advance(timedelta(hours=73))
    fire_due_timers(ctx)
    return case, Persona("hub_manager", "reporter holding the waiting step's pool role", reporter)


def _linked_cases(ctx, db, hana: User, requester: User) -> tuple[Case, Case]:
    """A takedown refused, escalated to HR's pool, and referred: a breach case
    linked to it, with the requester as its reporter."""
    takedown = make_takedown(ctx, requester, person(db, "employee", "Refusing"))
    complete(ctx, takedown, "UserTask_Respond", takedown.subject, response="refuse", dispute_grounds="It is mine.")
    complete(
        ctx,
        takedown,
        "UserTask_DecideEscalation",
        hana,
        escalation_decision="open_investigation",
        escalation_reasons="Refused outright; needs investigating.",
    )
    breach = next(c for c in ctx.db.query(Case).filter(Case.parent_id == takedown.id))
    return takedown, breach


def _disciplinary_case(ctx, hana: User, subject: User, officer: User) -> Case:
    """Invited to a hearing, with a grievance waiting for HR's decision: the
    events' pages are HR's, never the subject's or the hearing officer's."""
    from workflows.engine import events, workdays
    from workflows.procedures.disciplinary.opening import DisciplinaryOpening, open_disciplinary

    opening = DisciplinaryOpening(
        subject=subject, clauses=["SMP-5.5"], reason="Admitted in writing.", allegation="Posted a service user's photo."
    )
    case = open_disciplinary(ctx, hana, opening)
    complete(ctx, case, "UserTask_AppointHearingOfficer", hana, hearing_officer_id=officer.id, conflict_reason="")
    complete(
        ctx,
        case,
        "UserTask_Invite",
        hana,
        hearing_at=f"{workdays.add_working_days(workdays.today(), 6)}T10:00",
        place="Room 1",
    )
    grievance = {
        "grievance_raised_on": workdays.today().isoformat(),
        "grievance_summary": "About the way the case was opened.",
    }
    events.record(ctx, case, hana, "grievance_raised", grievance)
    return case


def _inaccuracy_reports(ctx, db) -> tuple[Case, Case, list[Persona]]:
    """Two reports [SMP-5.12]: one waiting for the line manager, one the line
    manager passed to the Hub Manager's pool."""
    manager = person(db, "manager", "Line-managing")
    reporter = make_user(db, "Reporting-inaccuracy employee", line_manager=manager)
    waiting = make_inaccuracy_report(ctx, reporter)
    passed = make_inaccuracy_report(ctx, reporter, inaccuracy="A directory lists an old phone number.")
    complete(ctx, passed, "UserTask_Decide", manager, decision="pass_to_hub_manager", reasons="Needs the Hub Manager.")
    personas = [Persona("employee", "person reporting", reporter), Persona("manager", "line manager", manager)]
    return waiting, passed, personas


def _monitoring_case(ctx, hana: User, monitored: User, **telling) -> Case:
    """A restriction in force: told in writing (a letter, the person named), or not."""
    case = make_finding(ctx, hana, monitored)
    complete(ctx, case, "UserTask_Decide", hana, **restriction(**telling))
    return case


def _subject_access_cases(ctx, db, hana: User) -> tuple[Case, Case, list[Persona]]:
    """Two subject access requests, HR's only: an employee's, released (its ZIP a
    file of the case), and an HR officer's own, waiting in HR's pool ("HR for HR")."""
    from ..workflows.procedures.subject_access import make_request, releasing

    employee, officer = person(db, "employee", "Asking"), person(db, "hr", "Asking")
    released = make_request(ctx, hana, employee)
    complete(ctx, released, "UserTask_Review", hana, **releasing())
    waiting = make_request(ctx, hana, officer)
    personas = [
        Persona("employee", "asking for their data", employee),
        Persona("hr", "asking for their own data", officer),
    ]
    return released, waiting, personas


def build(ctx, db) -> World:
    hana = person(db, "hr", "Opening")  # opens and triages every breach: the HR party
    investigators = {role: person(db, role, "Investigating") for role in INVESTIGATES}
    requesters = {role: person(db, role, "Requesting") for role in OPENS_TAKEDOWNS}
    cases: dict[str, Case] = {}
    personas = [Persona("anonymous", "signed out", None)]
    cases["BI-ico"], ico_reporter = _ico_case(ctx, db, hana, investigators["manager"])
    personas.append(ico_reporter)
    cases["TD-linked"], cases["BI-linked"] = _linked_cases(ctx, db, hana, requesters["manager"])
    cases["IR-waiting"], cases["IR-passed"], reporting = _inaccuracy_reports(ctx, db)
    personas += reporting
    cases["SAR-released"], cases["SAR-waiting"], asking = _subject_access_cases(ctx, db, hana)
    personas += asking
    for n, role in enumerate(ROLES):
        subject, reporter = person(db, role, "Subject"), person(db, role, "Reporter")
        breach = make_breach(ctx, hana, subject, reported_by=reporter)
        _case_file(ctx, breach, hana, n)
        _triage(ctx, breach, hana, investigators.get(role, investigators["manager"]))
        takedown = make_takedown(ctx, requesters.get(role, requesters["manager"]), subject)
        cases[f"BI-{role}"], cases[f"TD-{role}"] = breach, takedown
        personas += [
            Persona(role, "none", person(db, role, "Outside")),
            Persona(role, "subject", subject),
            Persona(role, "reporter", reporter),
        ]
    personas += [Persona(role, "investigator", user) for role, user in investigators.items()]
    personas += [Persona(role, "requester", user) for role, user in requesters.items()]
    personas.append(Persona("hr", "HR party", hana))
    disciplined, officer = person(db, "employee", "Disciplined"), person(db, "manager", "Hearing")
    cases["DP-employee"] = _disciplinary_case(ctx, hana, disciplined, officer)
    personas += [
        Persona("employee", "disciplinary subject", disciplined),
        Persona("manager", "hearing officer", officer),
    ]
    told, untold = person(db, "employee", "Told"), person(db, "employee", "Untold")
    cases["MF-told"] = _monitoring_case(ctx, hana, told)
    cases["MF-not-told"] = _monitoring_case(
        ctx, hana, untold, telling="not_told", withholding_reason="It would tip off a leak investigation."
    )
    personas += [
        Persona("employee", "monitored, told in writing", told),
        Persona("employee", "monitored, not told", untold),
    ]
    # A campaign request waiting in the Hub Managers' pool [SMP-4.3], asked by a volunteer.
    asking, granting = person(db, "volunteer", "Campaigning"), person(db, "hub_manager", "Granting")
    authorise(ctx, granting, asking, "instagram")
    cases["CP-waiting"] = make_campaign(ctx, asking, accounts=["instagram"])
    personas.append(Persona("volunteer", "campaign requester", asking))
    strangers = (
        *("BI-ico", "BI-employee", "TD-manager", "DP-employee", "IR-waiting", "IR-passed", "MF-not-told"),
        "CP-waiting",
        *("SAR-released", "SAR-waiting"),
    )
    return World(personas, cases, strangers=strangers)
