"""Fuzzing (hypothesis): every path parameter of every URL rule, the case
list's query, and every field of every form, including every step's form,
sent by people in each role (and by nobody signed in). No response is a 500
and no exception escapes. Derandomized, so a run is the same every time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import Case, CaseTask, OutboxMessage, PersonType, Role, TaskState
from webapp.procedures import all_pages
from workflows.engine import clock, workdays
from workflows.engine.context import Context
from workflows.engine.timers import fire_due_timers

from ..factories import make_breach, make_inaccuracy_report, make_takedown, make_user
from ..workflows.helpers import complete
from ..workflows.procedures.campaign_permission import authorise, make_campaign
from ..workflows.procedures.disciplinary.drive import every_step_waiting
from ..workflows.procedures.monitoring import make_finding, restriction
from ..workflows.procedures.subject_access import make_request
from ..workflows.procedures.volunteer_problem_solving.drive import every_step_waiting as volunteers_and_trustees
from . import fuzz_inputs as fuzz
from .browserless import Web

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOT_DATA = {"csrf_token", "submit"}


def _triage(ctx, case, hr, investigator, **answers):
    data = {
        "severity": "serious",
        "personal_data_published": False,
        "suspension_needed": True,
        "suspension_reason": "To protect a service user.",
        "investigator_id": investigator.id,
        "manager_conflict_reason": "",
        **answers,
    }
    complete(ctx, case, "UserTask_Triage", hr, **data)


def build_world(ctx, db) -> dict:
    """A step of every form waiting for someone, in every procedure."""
    hr, manager = make_user(db, "Hana HR", roles=(Role.HR,)), make_user(db, "Mo Manager", roles=(Role.MANAGER,))
    people = {
        "hr": hr,
        "manager": manager,
        "hub_manager": make_user(db, "Grace Hub", roles=(Role.HUB_MANAGER,)),
        "admin": make_user(db, "Ada Admin", roles=(Role.ADMIN,)),
        "employee": make_user(db, "Ellie Employee"),
        "volunteer": make_user(db, "Vic Volunteer", person_type=PersonType.VOLUNTEER),
    }
    subject = people["employee"]
    ico = make_breach(ctx, hr, subject)
    _triage(ctx, ico, hr, manager, personal_data_published=True, suspension_needed=False, suspension_reason="")
    _triage(ctx, make_breach(ctx, hr, subject), hr, manager)  # suspended: a review in 14 days
    make_finding(ctx, hr, subject)  # HR's decision on a monitoring finding waits
    # A restriction reviewed on 16 March: due by the time the clock moves on 14 days.
    complete(ctx, make_finding(ctx, hr, subject), "UserTask_Decide", hr, **restriction())
    clock.advance(timedelta(days=14, minutes=1))
    fire_due_timers(ctx)  # the ICO decision overdue (the Hub Manager's pool); the suspension review due
    make_breach(ctx, hr, subject)  # triage waits
    _triage(ctx, make_breach(ctx, hr, subject), hr, manager, personal_data_published=True)  # assess, review, invite
    account = make_breach(ctx, hr, subject)
    _triage(ctx, account, hr, manager)
    complete(ctx, account, "UserTask_Investigate", manager, account_days=7, invitation_message="")
    findings = make_breach(ctx, hr, subject)
    _triage(ctx, findings, hr, manager, suspension_needed=False, suspension_reason="")
    complete(ctx, findings, "UserTask_Investigate", manager, account_days=7, invitation_message="")
    complete(ctx, findings, "UserTask_Account", subject, account_choice="decline", account_statement="")
    outcome = make_breach(ctx, hr, subject)
    _triage(ctx, outcome, hr, manager, suspension_needed=False, suspension_reason="")
    complete(ctx, outcome, "UserTask_Investigate", manager, account_days=7, invitation_message="")
    complete(ctx, outcome, "UserTask_Account", subject, account_choice="decline", account_statement="")
    complete(
        ctx,
        outcome,
        "UserTask_Findings",
        manager,
        facts_found="The post was made on Sunday.",
        clauses_breached=[],
        mitigation="",
        recommendation="no_case_to_answer",
    )
    every_step_waiting(ctx, hr, manager, people["hub_manager"], subject)  # the disciplinary procedure's steps
    make_takedown(ctx, manager, subject)  # respond waits
    for response in ("removed", "dispute", "refuse"):  # verify, review the dispute, decide on escalation
        takedown = make_takedown(ctx, manager, subject)
        complete(ctx, takedown, "UserTask_Respond", subject, response=response, dispute_grounds="It is mine.")
    make_inaccuracy_report(ctx, subject)  # no line manager: HR's pool decides
    passed = make_inaccuracy_report(ctx, people["volunteer"])
    complete(ctx, passed, "UserTask_Decide", hr, decision="pass_to_hub_manager", reasons="For the Hub Manager.")
    _campaigns(ctx, people["hub_manager"], subject)  # the Hub Manager's answer waits; a revision waits
    make_request(ctx, hr, subject)  # HR's review of a subject access request waits
    volunteers_and_trustees(ctx, hr, manager, people["hub_manager"])  # problem-solving's steps; the Chair's
    return people


def _campaigns(ctx, hub, requester) -> None:
    today = workdays.today()  # the clock has moved on by now
    dates = {"starts_on": today + timedelta(days=7), "ends_on": today + timedelta(days=60)}
    authorise(ctx, hub, requester, "instagram", "facebook")
    make_campaign(ctx, requester, **dates)
    revising = make_campaign(ctx, requester, **dates)
    complete(ctx, revising, "UserTask_Decide", hub, campaign_decision="changes", decision_reasons="Fewer posts.")


@pytest.fixture
def world(ctx, db):
    return build_world(ctx, db)


def client_for(app, user) -> tuple[Web, str]:
    web = Web(app.test_client())
    if user is not None:
        with web.client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return web, web.token("/" if user else "/login")


def assert_no_500(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


# --- path parameters --------------------------------------------------------------


def path_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.arguments]


def fuzz_path(web: Web, rule) -> None:
    method = "GET" if "GET" in rule.methods else "POST"

    @SETTINGS
    @given(st.fixed_dictionaries({arg: fuzz.path_values for arg in sorted(rule.arguments)}))
    def run(values):
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: fuzz.path_part(values[m.group(1)]), rule.rule)
        assert_no_500(web.client.open(url, method=method), f"{method} {url[:200]}")

    run()


# --- forms -------------------------------------------------------------------------


def fields_of(form_class) -> dict:
    return {
        name: getattr(form_class, name)
        for name in dir(form_class)
        if hasattr(getattr(form_class, name, None), "field_class") and name not in NOT_DATA
    }


def _valid_choices(unbound) -> list[str]:
    choices = unbound.kwargs.get("choices") or []
    return [str(c[0] if isinstance(c, tuple) else c) for c in choices]


PLAIN = {
    "DateField": "2026-03-01",
    "DateTimeLocalField": "2026-03-02T08:30",
    "IntegerField": "7",
    "FloatField": "24",
    "WholeNumberField": "7",
    "NumberField": "24",
    "BooleanField": "y",
    "EmailField": "hana.hr@bcwhub.test",
    "URLField": "https://example.org/post/1",
}
PERSON_FIELDS = {"subject", "reported_by", "investigator_id", "person-person", "person"}


def _plain(name: str, unbound, person_id: int):
    """A value the field takes, so that one hostile field beside it gets through."""
    kind = unbound.field_class.__name__
    if name in PERSON_FIELDS:
        return str(person_id)
    if kind in {"MultiCheckboxField", "SelectMultipleField"}:
        return ["SMP-5.5"]
    choices = [c for c in _valid_choices(unbound) if c]
    return choices[0] if choices else PLAIN.get(kind, "A plain sentence, long enough for any field.")


def form_strategy(form_class, person_id: int):
    """Either one field hostile and the rest plain, or every field hostile;
    files with any name and any bytes."""
    fields = fields_of(form_class)
    files = [n for n, f in fields.items() if f.field_class.__name__ == "FileField"]
    plain = {n: _plain(n, f, person_id) for n, f in fields.items() if n not in files}
    hostile = {
        n: st.lists(fuzz.choice_values(["SMP-5.5"]), max_size=3)
        if isinstance(plain[n], list)
        else fuzz.choice_values([plain[n], *_valid_choices(f), "yes", "no", "1"])
        for n, f in fields.items()
        if n not in files
    }
    one_bad = (
        st.sampled_from(sorted(hostile)).flatmap(lambda n: hostile[n].map(lambda v, n=n: {**plain, n: v}))
        if hostile
        else st.just(plain)
    )
    uploads = st.fixed_dictionaries({n: st.tuples(fuzz.file_names(), fuzz.file_contents) for n in files})
    return st.tuples(st.one_of(one_bad, st.fixed_dictionaries(hostile)), uploads)


SWEEP = ["\x00", "\x1b", "9" * 30, "x" * 9000]  # NUL, a control character, a huge integer, a long string
NAMES = ["a\r\nb.png", "\x00.png", "..\\..\\c.png", "\u202egnp.exe.png"]


def sweep_form(web: Web, token: str, url: str, form_class, person_id: int) -> None:
    """Before the random search, each field in turn with each poison, the rest plain;
    and each hostile file name on a real PNG: the classes the fuzzing found first."""
    fields = fields_of(form_class)
    files = [n for n, f in fields.items() if f.field_class.__name__ == "FileField"]
    plain = {n: _plain(n, f, person_id) for n, f in fields.items() if n not in files}
    sent = [({**plain, n: _poisoned(plain[n], p)}, {}) for n in plain for p in SWEEP]
    sent += [(plain, {n: (name, fuzz.PNG) for n in files}) for name in NAMES if files]
    for values, uploads in sent:
        body, content_type = fuzz.multipart({**values, "csrf_token": token}, uploads)
        assert_no_500(web.client.post(url, data=body, content_type=content_type), f"POST {url} {values!r:.300}")


def _poisoned(value, poison: str):
    return [v + poison for v in value] if isinstance(value, list) else value + poison


def fuzz_form(web: Web, token: str, url: str, form_class, person_id: int) -> None:
    @settings(SETTINGS, max_examples=10)
    @given(form_strategy(form_class, person_id))
    def run(drawn):
        fields, files = drawn
        body, content_type = fuzz.multipart({**fields, "csrf_token": token}, files)
        assert_no_500(web.client.post(url, data=body, content_type=content_type), f"POST {url} {fields!r:.300}")

    run()


def form_targets(db, world) -> list[tuple[str, type]]:
    from webapp.auth.forms import LoginForm, WelcomeForm
    from webapp.cases.forms import BundleForm, EvidenceForm, InterviewForm
    from webapp.procedures import task_form
    from webapp.procedures.breach.forms import BreachOpenForm
    from webapp.procedures.campaign_permission.forms import CampaignForm, EndForm, GrantForm
    from webapp.procedures.disciplinary.forms import DisciplinaryOpenForm
    from webapp.procedures.inaccurate_information.forms import ReportForm
    from webapp.procedures.monitoring.forms import FindingForm
    from webapp.procedures.subject_access.forms import AdjustForm, RequestForm
    from webapp.procedures.takedown.forms import TakedownRequestForm
    from webapp.tokens.forms import NewServiceAccountForm, NewTokenForm, RevokeForm
    from webapp.webhooks.forms import EndForm as EndWebhookForm
    from webapp.webhooks.forms import SubscribeForm

    reference = db.scalar(select(Case.reference).where(Case.kind == "breach_investigation").limit(1))
    sar = db.scalar(select(Case.reference).where(Case.kind == "subject_access_request").limit(1))
    targets = [
        ("/login", LoginForm),
        ("/takedown/new", TakedownRequestForm),
        ("/breach/new", BreachOpenForm),
        ("/disciplinary/new", DisciplinaryOpenForm),
        ("/inaccurate-information/new", ReportForm),
        ("/monitoring/new", FindingForm),
        ("/campaigns/new", CampaignForm),
        ("/campaigns/authorisations", GrantForm),
        (f"/campaigns/authorisations/{_an_authorisation(db)}/end", EndForm),
        ("/subject-access/new", RequestForm),
        (f"/subject-access/{sar}/redactions", AdjustForm),
        (f"/cases/{reference}/evidence", EvidenceForm),
        (f"/cases/{reference}/interviews", InterviewForm),
        (f"/cases/{reference}/bundle", BundleForm),
        ("/account/tokens/", NewTokenForm),
        (f"/account/tokens/{_a_token(db, world)}/revoke", RevokeForm),
        ("/account/tokens/service-accounts/", NewServiceAccountForm),
        (f"/account/tokens/service-accounts/{_a_service_account(db, world)}", NewTokenForm),
        (_a_password_link(db, world), WelcomeForm),
        ("/admin/webhooks/", SubscribeForm),
        (f"/admin/webhooks/{_a_webhook(db, world)}/end", EndWebhookForm),
    ]
    from webapp.procedures.disciplinary.during import RECORDABLE

    disciplinary = db.scalar(select(Case.reference).where(Case.kind == "disciplinary", Case.closed_at.is_(None)))
    targets += [(f"/disciplinary/{disciplinary}/record/{what}", item.form) for what, item in RECORDABLE.items()]
    targets += _hold_forms(db, world, reference)
    from webapp.procedures.breach.during import RECORDABLE as BREACH_RECORDABLE

    breach = db.scalar(select(Case.reference).where(Case.kind == "breach_investigation", Case.closed_at.is_(None)))
    targets += [(f"/breach/{breach}/record/{what}", item.form) for what, item in BREACH_RECORDABLE.items()]
    ready = db.scalars(select(CaseTask).where(CaseTask.state == TaskState.READY).order_by(CaseTask.id))
    for task in ready:
        targets.append((f"/tasks/{task.id}", task_form(task.case.kind, task.form_name)))
    return targets


def _hold_forms(db, world, reference: str) -> list[tuple[str, type]]:
    """The hold forms share a page, each under its own prefix: fuzzed under it."""
    from webapp.retention.forms import HoldForm, LiftForm, PersonHoldForm
    from workflows.engine import holds

    case = db.scalar(select(Case).where(Case.reference == reference))
    hold = holds.set_on_case(Context(db, None, None), world["hr"], case, "Fuzzing's hold to lift.")

    def prefixed(form, prefix: str) -> type:
        fields = {f"{prefix}-{n}": f for n, f in fields_of(form).items()}
        return type(form.__name__, (FlaskForm,), fields)

    return [
        (f"/data-protection/cases/{reference}/hold", prefixed(HoldForm, f"case{case.id}")),
        (f"/data-protection/holds/{hold.id}/lift", prefixed(LiftForm, f"lift{hold.id}")),
        ("/data-protection/people/hold", prefixed(PersonHoldForm, "person")),
    ]


def _a_token(db, world) -> int:
    from datetime import timedelta

    from workflows.engine import tokens

    expires = clock.now().date() + timedelta(days=30)
    return tokens.create(db, world["hr"], name="fuzzed", scopes=["read"], expires_on=expires).row.id


def _a_service_account(db, world) -> int:
    from workflows.engine import directory

    return directory.add_service_account(db, world["admin"], "Fuzzed sync").id


def _a_password_link(db, world) -> str:
    """A live link to choose a password (a newcomer's: choosing one ends their sessions)."""
    from workflows.engine import directory, invitations

    directory.add(
        db, world["admin"], {"email": "newcomer@bcwhub.test", "name": "Newcomer"}, invite_from="http://casework.test"
    )
    body = db.scalar(select(OutboxMessage.body).where(OutboxMessage.template == "invitation"))
    link = next(word for word in body.split() if invitations.PATH in word)
    return link.removeprefix("http://casework.test")


def _a_webhook(db, world) -> int:
    from workflows.engine import webhooks

    return webhooks.subscribe(db, world["admin"], "https://hr.example.org/hook", ["case_closed"])[0].id


def _an_authorisation(db) -> int:
    from models import AccountAuthorisation

    return db.scalar(select(AccountAuthorisation.id).order_by(AccountAuthorisation.id).limit(1))


def fuzz_query(web: Web) -> None:
    keys = ["q", "status", "kind", "page", "next", "x"]

    @settings(SETTINGS, max_examples=30)
    @given(st.fixed_dictionaries({}, optional={key: fuzz.path_values for key in keys}))
    def run(args):
        query = "&".join(f"{fuzz.path_part(k)}={fuzz.path_part(v)}" for k, v in args.items())
        for url in (f"/cases/?{query}", f"/login?{query}", f"/?{query}"):
            assert_no_500(web.client.get(url), f"GET {url[:200]}")

    run()


ROLES = ["anonymous", "hr", "manager", "hub_manager", "admin", "employee", "volunteer"]


def stored_pages(db) -> list[str]:
    """Every page that shows what the forms stored: a trap stored by one
    request (a file name a header cannot carry) breaks these later."""
    from models import Evidence, Letter

    pages = ["/", "/cases/"] + [f"/cases/{ref}" for ref in db.scalars(select(Case.reference))]
    pages += [f"/cases/evidence/{n}" for n in db.scalars(select(Evidence.id).where(Evidence.kind == "file"))]
    return pages + [f"/cases/letters/{n}" for n in db.scalars(select(Letter.id))]


# One test per role for paths, queries and forms: each builds the world once
# (about 15 s on PostgreSQL), which is most of this module's time.
@pytest.mark.parametrize("role", ROLES)
def test_no_path_parameter_query_or_form_field_is_a_500(app, db, world, role):
    web, token = client_for(app, world.get(role))
    for rule in path_rules(app):
        fuzz_path(web, rule)
    fuzz_query(web)
    for url, form_class in form_targets(db, world):
        sweep_form(web, token, url, form_class, world["employee"].id)
        fuzz_form(web, token, url, form_class, world["employee"].id)
    for person in (world["hr"], world["employee"]):  # nothing stored breaks a later page (HR; the subject)
        viewer, _token = client_for(app, person)
        for page in stored_pages(db):
            assert_no_500(viewer.client.get(page), f"GET {page} after the forms were fuzzed")


def test_every_form_and_path_parameter_is_fuzzed(app, db, world):
    """A new route with a form or a path parameter is fuzzed, or this fails."""
    fuzzed_posts = {url.split("/")[1] for url, _form in form_targets(db, world)}
    posts = {r.rule.split("/")[1] for r in app.url_map.iter_rules() if "POST" in r.methods}
    # Signing out has no fields; the JSON API is fuzzed by schemathesis (tests/webapp/api).
    assert posts - fuzzed_posts - {"logout", "api"} == set()
    steps = {form for pages in all_pages() for form in pages.forms}
    ready = {t.form_name for t in db.scalars(select(CaseTask).where(CaseTask.state == TaskState.READY))}
    assert steps - ready == set(), "a step's form with no waiting task to fuzz it through"
    assert path_rules(app)
