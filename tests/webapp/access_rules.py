"""What each person may reach, written from the need-to-know rules
(docs/domain.md, docs/architecture.md "Need to know"), not from the code
that enforces them: the access matrix compares the two.

`targets(...)` lists every request the matrix makes for one person: one or
more per URL rule of the app, each with the status the rules call for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import or_, select

from models import Case, CaseTask, Evidence, Letter, Role, TaskState, User
from workflows.engine import clock

FOUND, REDIRECT, REFUSED, MISSING, DONE = 200, 302, 403, 404, 409
UNAUTHENTICATED = 401  # the API without a token
NO_VIEW = {"Reporter", "Witness"}  # the case roles that see nothing (registry.no_view_roles)
MISSING_ID = 2_147_483_647


@dataclass(frozen=True)
class Facts:
    """One person and one case, as the rules see them."""

    user: User
    case: Case
    roles_on: frozenset[str]
    waiting_pools: frozenset[str]

    @property
    def subject(self) -> bool:
        return self.case.subject_id == self.user.id

    @property
    def named_subject(self) -> bool:
        """The subject sees their case once named on it: at once in most procedures;
        in a monitoring finding only once told in writing (docs/domain.md, "Need to know")."""
        return self.subject and "Subject" in self.roles_on

    @property
    def staff_role(self) -> bool:
        return bool(self.roles_on - NO_VIEW - {"Subject"})

    @property
    def conflicted(self) -> bool:
        return self.subject or bool(self.roles_on & NO_VIEW)

    @property
    def hr_sees(self) -> bool:
        return self.user.has_role(Role.HR) and not self.conflicted

    @property
    def listed(self) -> bool:
        """On their case list: a party who sees the case, or HR not conflicted."""
        return self.named_subject or self.staff_role or self.hr_sees

    @property
    def views(self) -> bool:
        """The case page: listed, or a pool member while a step waits in their pool."""
        pooled = not self.conflicted and any(self.user.has_role(p) for p in self.waiting_pools)
        return self.listed or pooled

    @property
    def reads_file(self) -> bool:
        """Interview notes, unshared evidence, adding to the case file: never the subject."""
        return not self.subject and (self.staff_role or self.hr_sees)


def facts(db, user: User, case: Case) -> Facts:
    pools = db.scalars(
        select(CaseTask.pool_role).where(
            CaseTask.case_id == case.id, CaseTask.state == TaskState.READY, CaseTask.assignee_id.is_(None)
        )
    )
    roles_on = frozenset(p.role for p in case.parties if p.user_id == user.id)
    return Facts(user, case, roles_on, frozenset(p for p in pools if p))


@dataclass(frozen=True)
class Target:
    endpoint: str
    method: str
    url: str
    what: str
    expected: int
    data: dict | None = None


def _case_gate(f: Facts | None, allowed: Callable[[Facts], bool], yes: int = FOUND) -> int:
    if f is None:
        return REDIRECT  # signed out: to the sign-in page
    if not f.views:
        return REFUSED  # outsiders learn nothing, not even what they asked for
    return yes if allowed(f) else REFUSED


def case_targets(db, f: Facts | None, case: Case, name: str) -> list[Target]:
    ref = case.reference
    today = clock.london(clock.now()).date().isoformat()  # on or after every case's opening, and not ahead
    note = {"witness": "W", "interviewed_on": today, "notes": "Seen."}
    link = {"url": "https://example.org/post", "description": "The post", "shared_with_subject": "no"}
    found = [
        Target("cases.show", "GET", f"/cases/{ref}", f"{name} page", _case_gate(f, lambda f: True)),
        Target("cases.diagram", "GET", f"/cases/{ref}/diagram.bpmn", f"{name} diagram", _case_gate(f, lambda f: True)),
        Target("cases.add_evidence", "POST", f"/cases/{ref}/evidence", f"{name} add evidence",
               _case_gate(f, lambda f: f.reads_file, REDIRECT), link),
        Target("cases.add_interview", "POST", f"/cases/{ref}/interviews", f"{name} add notes",
               _case_gate(f, lambda f: f.reads_file, REDIRECT), note),
        # Legal holds and who read a person's cases: HR's, never on their own ("HR for HR").
        Target("retention.hold_case", "POST", f"/data-protection/cases/{ref}/hold", f"{name} legal hold posted",
               _file_gate(f, lambda f: f.hr_sees), {}),
        Target("retention.person_reads", "GET", f"/data-protection/people/{case.subject_id}/reads",
               f"{name} subject's readers", _file_gate(f, lambda f: f.user.has_role(Role.HR) and not f.subject)),
        # A witness's own statement: the one page a witness sees, and only theirs.
        Target("cases.statement", "GET", f"/cases/{ref}/statement", f"{name} witness statement",
               REDIRECT if f is None else (FOUND if "Witness" in f.roles_on else REFUSED)),
    ]  # fmt: skip
    found += _bundle_targets(db, f, case, name)
    found += _recording_targets(f, case, name)
    found += _subject_access_targets(f, case, name)
    found += _evidence_targets(db, f, case, name)
    found += _letter_targets(db, f, case, name)
    found += _task_targets(db, f, case, name)
    return found


def _bundle_targets(db, f: Facts | None, case: Case, name: str) -> list[Target]:
    """The tribunal bundle is HR's to export, and never with a case they are
    conflicted on among the linked ones. A POST with no reason is refused as
    bad input (200), never exported."""
    url, gate = f"/cases/{case.reference}/bundle", _case_gate(f, lambda f: _exports(db, f))
    return [
        Target("cases.bundle", "GET", url, f"{name} tribunal bundle", gate),
        Target("cases.bundle", "POST", url, f"{name} tribunal bundle posted", gate, {}),
    ]


def _exports(db, f: Facts) -> bool:
    case = f.case
    linked = db.scalars(select(Case).where(or_(Case.parent_id == case.id, Case.id == case.parent_id)))
    return f.hr_sees and all(facts(db, f.user, other).hr_sees for other in linked)  # the world links one step


RECORDABLE = ("grievance", "resignation", "sickness", "written-reasons")
# What HR records at any step, by kind of case: (URL prefix, endpoint, what).
RECORDINGS = {
    "disciplinary": ("disciplinary", "disciplinary.record_event", RECORDABLE),
    "breach_investigation": ("breach", "breach.record_event", ("suspension", "personal-data")),
}


def _recording_targets(f: Facts | None, case: Case, name: str) -> list[Target]:
    """What happens to the employee during a disciplinary is HR's to record:
    never the subject's, a hearing officer's or a pool member's. A POST with
    nothing in it is refused as bad input (200), never recorded."""
    prefix, endpoint, names = RECORDINGS.get(case.kind, (None, None, ()))
    found = []
    for what in names:
        url, gate = f"/{prefix}/{case.reference}/record/{what}", _case_gate(f, lambda f: f.hr_sees)
        found.append(Target(endpoint, "GET", url, f"{name} record {what}", gate))
        found.append(Target(endpoint, "POST", url, f"{name} record {what} posted", gate, {}))
    return found


def _subject_access_targets(f: Facts | None, case: Case, name: str) -> list[Target]:
    """A subject access request's redactions are HR's, never the person asking's (not even
    an HR officer asking for their own). A post naming nobody on it is bad input (200)."""
    if case.kind != "subject_access_request":
        return []
    url, gate = f"/subject-access/{case.reference}/redactions", _case_gate(f, lambda f: f.hr_sees)
    return [
        Target("subject_access.redactions", "GET", url, f"{name} redactions", gate),
        Target("subject_access.redactions", "POST", url, f"{name} redactions posted", gate, {"unredact": "Person ZZ"}),
    ]


def _evidence_targets(db, f: Facts | None, case: Case, name: str) -> list[Target]:
    files = db.scalars(select(Evidence).where(Evidence.case_id == case.id, Evidence.kind == "file"))
    found = []
    for item in files:
        what = f"{name} evidence {'shared' if item.shared_with_subject else 'unshared'} #{item.id}"
        may = partial(_sees_file, shared=item.shared_with_subject)
        found.append(Target("cases.evidence", "GET", f"/cases/evidence/{item.id}", what, _file_gate(f, may)))
    return found


def _sees_file(f: Facts, shared: bool) -> bool:
    return f.reads_file or (f.subject and shared)


def _reads_letter(f: Facts, to: int) -> bool:
    return f.user.id == to or f.reads_file


def _file_gate(f: Facts | None, may: Callable[[Facts], bool]) -> int:
    """Files are asked for by id: anyone not allowed is refused, party or not."""
    if f is None:
        return REDIRECT
    return FOUND if may(f) else REFUSED


def _letter_targets(db, f: Facts | None, case: Case, name: str) -> list[Target]:
    found = []
    for letter in db.scalars(select(Letter).where(Letter.case_id == case.id)):
        may = partial(_reads_letter, to=letter.addressed_to_id)
        for endpoint, suffix in (("cases.letter", ""), ("cases.letter_pdf", ".pdf")):
            what = f"{name} letter{suffix} #{letter.id}"
            found.append(Target(endpoint, "GET", f"/cases/letters/{letter.id}{suffix}", what, _file_gate(f, may)))
    return found


def _task_targets(db, f: Facts | None, case: Case, name: str) -> list[Target]:
    found = []
    for task in db.scalars(select(CaseTask).where(CaseTask.case_id == case.id).order_by(CaseTask.id)):
        if task.state == TaskState.READY:
            expected = _case_gate(f, lambda f, t=task: _may_complete(f, t))
        else:  # done: who did it is for the case file's readers, and whoever the step was for
            expected = _case_gate(f, lambda f, t=task: f.reads_file or _may_complete(f, t), DONE)
        what = f"{name} task '{task.title}' ({task.state})"
        found.append(Target("tasks.task", "GET", f"/tasks/{task.id}", what, expected))
        if expected != FOUND:  # an allowed POST would complete the step (GET shows it is allowed)
            found.append(Target("tasks.task", "POST", f"/tasks/{task.id}", f"{what} posted", expected, {}))
    return found


def _may_complete(f: Facts, task: CaseTask) -> bool:
    if task.assignee_id is not None:
        return task.assignee_id == f.user.id
    return bool(task.pool_role) and f.user.has_role(task.pool_role) and not f.conflicted


def global_targets(user: User | None) -> list[Target]:
    """Rules with no case in them, and records that do not exist."""

    def signed_in(allowed: bool = True, yes: int = FOUND) -> int:
        return REDIRECT if user is None else (yes if allowed else REFUSED)

    def holds(*roles: str) -> bool:
        return user is not None and user.has_role(*roles)

    opener = holds(Role.HR, Role.MANAGER, Role.HUB_MANAGER)
    return [
        Target("static", "GET", "/static/css/case-diagram.css", "a static file", FOUND),
        Target("bootstrap.static", "GET", "/bootstrap/static/css/bootstrap.min.css", "Bootstrap's CSS", FOUND),
        Target("auth.login", "GET", "/login", "sign-in page", FOUND if user is None else REDIRECT),
        Target("auth.login", "POST", "/login", "sign-in", FOUND if user is None else REDIRECT,
               {"email": "nobody@bcwhub.test", "password": "wrong"}),
        Target("tasks.inbox", "GET", "/", "inbox", signed_in()),
        Target("cases.index", "GET", "/cases/", "case list", signed_in()),
        Target("policy.show", "GET", "/policy", "policy", signed_in()),
        Target("audit.verify", "GET", "/audit/verify", "audit verification", signed_in(holds(Role.HR, Role.ADMIN))),
        Target("takedown.new", "GET", "/takedown/new", "new takedown form", signed_in(opener)),
        Target("takedown.new", "POST", "/takedown/new", "new takedown posted", signed_in(opener), {}),
        # Anyone may report inaccurate information [SMP-5.12]: an empty post is a form with errors.
        Target("inaccurate_information.new", "GET", "/inaccurate-information/new", "new report form", signed_in()),
        Target("inaccurate_information.new", "POST", "/inaccurate-information/new", "new report posted",
               signed_in(), {}),
        Target("breach.new", "GET", "/breach/new", "new breach form", signed_in(holds(Role.HR))),
        Target("breach.new", "POST", "/breach/new", "new breach posted", signed_in(holds(Role.HR)), {}),
        Target("monitoring.new", "GET", "/monitoring/new", "new monitoring finding form", signed_in(holds(Role.HR))),
        Target("monitoring.new", "POST", "/monitoring/new", "new monitoring finding posted",
               signed_in(holds(Role.HR)), {}),
        Target("monitoring.restrictions", "GET", "/monitoring/restrictions", "access restriction register",
               signed_in(holds(Role.HR))),
        # Anyone may ask permission for a campaign [SMP-4.3]; the request checks their authorisations.
        Target("campaign_permission.new", "GET", "/campaigns/new", "new campaign request form", signed_in()),
        Target("campaign_permission.new", "POST", "/campaigns/new", "new campaign request posted", signed_in(), {}),
        Target("campaign_permission.register", "GET", "/campaigns/register", "approved campaigns", signed_in()),
        Target("campaign_permission.authorised", "GET", "/campaigns/authorisations", "account authorisations",
               signed_in(holds(Role.HUB_MANAGER, Role.ADMIN))),
        Target("campaign_permission.authorised", "POST", "/campaigns/authorisations", "authorisation granted",
               signed_in(holds(Role.HUB_MANAGER, Role.ADMIN)), {}),
        Target("campaign_permission.end", "POST", f"/campaigns/authorisations/{MISSING_ID}/end",
               "no such authorisation", signed_in(holds(Role.HUB_MANAGER, Role.ADMIN), yes=MISSING), {}),
        Target("subject_access.new", "GET", "/subject-access/new", "new subject access request form",
               signed_in(holds(Role.HR))),
        Target("subject_access.new", "POST", "/subject-access/new", "new subject access request posted",
               signed_in(holds(Role.HR)), {}),
        Target("subject_access.redactions", "GET", "/subject-access/SA-1999-9999/redactions",
               "redactions, no such case", signed_in(yes=MISSING)),
        Target("disciplinary.new", "GET", "/disciplinary/new", "new disciplinary form", signed_in(holds(Role.HR))),
        Target("disciplinary.new", "POST", "/disciplinary/new", "new disciplinary posted",
               signed_in(holds(Role.HR)), {}),
        Target("disciplinary.record", "GET", f"/disciplinary/people/{user.id if user else 1}", "own record",
               signed_in(False)),
        Target("disciplinary.record", "GET", f"/disciplinary/people/{MISSING_ID}", "no such person",
               signed_in(yes=MISSING)),
        Target("cases.show", "GET", "/cases/TD-1999-9999", "no such case", signed_in(yes=MISSING)),
        Target("retention.due", "GET", "/data-protection/retention", "retention schedule", signed_in(holds(Role.HR))),
        Target("retention.hold_person", "POST", "/data-protection/people/hold", "a person's hold posted",
               signed_in(holds(Role.HR)), {}),
        Target("retention.hold_case", "POST", "/data-protection/cases/TD-1999-9999/hold", "hold, no such case",
               signed_in(yes=MISSING), {}),
        Target("retention.lift", "POST", f"/data-protection/holds/{MISSING_ID}/lift", "no such hold",
               signed_in(yes=MISSING), {}),
        Target("retention.person_reads", "GET", f"/data-protection/people/{user.id if user else 1}/reads",
               "who read my cases", signed_in(False)),
        Target("retention.person_reads", "GET", f"/data-protection/people/{MISSING_ID}/reads",
               "who read no such person's cases", signed_in(yes=MISSING)),
        Target("disciplinary.record_event", "GET", "/disciplinary/DP-1999-9999/record/grievance",
               "grievance, no such case", signed_in(yes=MISSING)),
        Target("breach.record_event", "GET", "/breach/BI-1999-9999/record/suspension",
               "suspension, no such case", signed_in(yes=MISSING)),
        Target("cases.diagram", "GET", "/cases/TD-1999-9999/diagram.bpmn", "no such diagram", signed_in(yes=MISSING)),
        Target("cases.add_evidence", "POST", "/cases/TD-1999-9999/evidence", "evidence, no such case",
               signed_in(yes=MISSING), {}),
        Target("cases.add_interview", "POST", "/cases/TD-1999-9999/interviews", "notes, no such case",
               signed_in(yes=MISSING), {}),
        Target("cases.statement", "GET", "/cases/TD-1999-9999/statement", "statement, no such case",
               signed_in(yes=MISSING)),
        Target("tasks.task", "GET", f"/tasks/{MISSING_ID}", "no such task", signed_in(yes=MISSING)),
        Target("cases.evidence", "GET", f"/cases/evidence/{MISSING_ID}", "no such file", signed_in(yes=MISSING)),
        Target("cases.letter", "GET", f"/cases/letters/{MISSING_ID}", "no such letter", signed_in(yes=MISSING)),
        Target("cases.letter_pdf", "GET", f"/cases/letters/{MISSING_ID}.pdf", "no such PDF", signed_in(yes=MISSING)),
        Target("tokens.index", "GET", "/account/tokens/", "API tokens page", signed_in()),
        Target("tokens.index", "POST", "/account/tokens/", "API token form posted", signed_in(), {}),
        Target("tokens.revoke", "POST", f"/account/tokens/{MISSING_ID}/revoke", "revoke, no such token",
               signed_in(yes=MISSING), {}),
        Target("dashboard.show", "GET", "/dashboard/", "dashboard", signed_in(holds(Role.HR, Role.HUB_MANAGER))),
        Target("dashboard.table_csv", "GET", "/dashboard/open_by_procedure.csv", "a dashboard table as CSV",
               signed_in(holds(Role.HR, Role.HUB_MANAGER))),
        Target("tokens.service_accounts", "GET", "/account/tokens/service-accounts/", "service accounts page",
               signed_in(holds(Role.ADMIN))),
        Target("tokens.service_accounts", "POST", "/account/tokens/service-accounts/", "service account posted",
               signed_in(holds(Role.ADMIN)), {}),
        Target("tokens.service_account", "GET", f"/account/tokens/service-accounts/{MISSING_ID}",
               "no such service account", signed_in(holds(Role.ADMIN), yes=MISSING)),
        Target("tokens.service_account", "POST", f"/account/tokens/service-accounts/{MISSING_ID}",
               "token for no such service account", signed_in(holds(Role.ADMIN), yes=MISSING), {}),
        # A password link is its own key: an unknown one is a 404 to anyone, signed in or not.
        Target("auth.welcome", "GET", "/account/welcome/not-a-link", "unknown password link", MISSING),
        Target("auth.welcome", "POST", "/account/welcome/not-a-link", "unknown password link posted", MISSING, {}),
        Target("webhooks.index", "GET", "/admin/webhooks/", "webhooks page", signed_in(holds(Role.ADMIN))),
        Target("webhooks.index", "POST", "/admin/webhooks/", "webhook form posted", signed_in(holds(Role.ADMIN)), {}),
        Target("webhooks.end", "POST", f"/admin/webhooks/{MISSING_ID}/end", "end, no such webhook",
               signed_in(holds(Role.ADMIN), yes=MISSING), {}),
        # The people directory: an admin's. An empty form comes back with its messages (200).
        Target("people.index", "GET", "/admin/people/", "people directory", signed_in(holds(Role.ADMIN))),
        Target("people.new", "GET", "/admin/people/new", "form to add a person", signed_in(holds(Role.ADMIN))),
        Target("people.new", "POST", "/admin/people/new", "a person posted", signed_in(holds(Role.ADMIN)), {}),
        Target("people.edit", "GET", f"/admin/people/{MISSING_ID}", "no such person on record",
               signed_in(holds(Role.ADMIN), yes=MISSING)),
        Target("people.edit", "POST", f"/admin/people/{MISSING_ID}", "no such person's details posted",
               signed_in(holds(Role.ADMIN), yes=MISSING), {}),
        Target("people.deactivate", "POST", f"/admin/people/{MISSING_ID}/deactivate", "deactivate no such person",
               signed_in(holds(Role.ADMIN), yes=MISSING), {}),
        Target("people.invite", "POST", f"/admin/people/{MISSING_ID}/invite", "a link for no such person",
               signed_in(holds(Role.ADMIN), yes=MISSING), {}),
        # The API's documentation names no one; its routes take a token, never a page's session.
        Target("api-docs.openapi_json", "GET", "/api/v1/openapi.json", "OpenAPI document", FOUND),
        Target("api_docs.browse", "GET", "/api/docs", "API documentation page", FOUND),
        Target("api.my_tasks", "GET", "/api/v1/tasks", "API tasks with a session", UNAUTHENTICATED),
        Target("api.Task", "GET", "/api/v1/tasks/1", "API task with a session", UNAUTHENTICATED),
        Target("api.Task", "POST", "/api/v1/tasks/1", "API step with a session", UNAUTHENTICATED, {}),
        Target("api.case", "GET", "/api/v1/cases/TD-1999-9999", "API case with a session", UNAUTHENTICATED),
        Target("api.clauses", "GET", "/api/v1/clauses", "API clauses with a session", UNAUTHENTICATED),
        Target("api.open_takedown", "POST", "/api/v1/takedowns", "API takedown with a session", UNAUTHENTICATED, {}),
        Target("api.open_breach_case", "POST", "/api/v1/breaches", "API breach with a session", UNAUTHENTICATED, {}),
        Target("api.People", "GET", "/api/v1/people", "API people with a session", UNAUTHENTICATED),
        Target("api.People", "POST", "/api/v1/people", "API person added with a session", UNAUTHENTICATED, {}),
        Target("api.Person", "GET", "/api/v1/people/1", "API person with a session", UNAUTHENTICATED),
        Target("api.Person", "PATCH", "/api/v1/people/1", "API person changed with a session", UNAUTHENTICATED, {}),
        Target("api.Deactivation", "POST", "/api/v1/people/1/deactivate", "API deactivation with a session",
               UNAUTHENTICATED, {}),
        Target("api.Invitation", "POST", "/api/v1/people/1/invite", "API invitation with a session",
               UNAUTHENTICATED, {}),
        Target("auth.logout", "POST", "/logout", "sign-out", REDIRECT, {}),  # last: it ends the session
    ]  # fmt: skip
