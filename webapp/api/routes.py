"""/api/v1: my tasks, a task's contract and completing it, a case as its
reader may see it, the policy's clauses. Each route authenticates its token
and scope, then calls the same operations as the pages: the same access
rules, the same refusals and audit events, the same "already done by X"."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser

from models import Case, CaseTask, TaskState, User
from workflows import policy
from workflows.engine import access, clock, queries, registry, stepdata, tasks
from workflows.engine.cases import view_case
from workflows.engine.errors import InvalidInput

from ..extensions import get_ctx, get_db
from ..filters import status_label
from . import contracts
from .auth import token_required
from .errors import for_exception
from .schemas import CaseOut, ClauseOut, ErrorOut, TaskDetailOut, TaskOut


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # bad input is a 400 naming the field, here as on the pages


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = Parser()

    def errors(self, *statuses: int):
        """Document the JSON error answers a route can give: any can be a 400
        (an address holding what cannot be kept) or a 401."""

        def decorate(view):
            for status in sorted({400, 401, *statuses}):
                view = self.alt_response(status, schema=ErrorOut, description=_WHY[status])(view)
            return view

        return decorate


_WHY = {
    400: "The data sent cannot be taken: `fields` names each field at fault",
    401: "No token, or it is unknown, expired or revoked",
    403: "The token lacks the scope, or its person may not do this (audited)",
    404: "No such record",
    409: "Already done by someone else, or a deadline closed it",
}

bp = ApiBlueprint("api", __name__, description="Tasks, cases and clauses")
SECURED = [{"token": []}]


def json_body_doc(schema) -> dict:
    """An OpenAPI requestBody of JSON shaped by `schema` (a body read by `contracts.load`)."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


TASK_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
    "description": "The step's data, as its contract says (GET the task for the contract)",
}


@bp.get("/tasks")
@bp.doc(security=SECURED, summary="The steps waiting for you, soonest due first")
@bp.response(200, TaskOut(many=True))
@bp.errors(403)
@token_required("read")
def my_tasks(person: User):
    return [_task(row, person) for row in queries.my_tasks(get_db(), person)]


# One rule for both methods: werkzeug answers a path that fails its
# converter (an id beyond the database's) with 405 when a rule of the same
# path takes another method, and a missing record is a 404.
@bp.route("/tasks/<int:task_id>")
class Task(MethodView):
    @bp.doc(security=SECURED, summary="A step of yours, with the contract of the data that completes it")
    @bp.response(200, TaskDetailOut)
    @bp.errors(403, 404, 409)
    @token_required("read")
    def get(self, person: User, task_id: int):
        opened = tasks.open_task(get_db(), person, task_id)
        contract = opened.step.contract
        return {
            **_task(opened.row, person),
            "contract": contracts.describe(contract),
            "answers": stepdata.answer_words(contract),
        }

    @bp.doc(security=SECURED, summary="Complete a step of yours", requestBody=TASK_BODY)
    @bp.response(200, CaseOut)
    @bp.errors(403, 404, 409)
    @token_required("tasks")
    def post(self, person: User, task_id: int):
        submitted = contracts.json_body(request)
        ctx = get_ctx()
        opened = tasks.open_task(ctx.db, person, task_id)
        try:
            case = tasks.complete_task(ctx, opened, submitted)
        except tasks.Overtaken as late:  # the case moved on past the deadline: kept (committed), and said
            return for_exception(late)
        except StaleDataError:  # someone else saved this case first: say who
            ctx.db.rollback()
            raise tasks.explain_conflict(ctx.db, task_id) from None
        except InvalidInput:
            ctx.db.rollback()
            raise
        return shown_case(case, person)


@bp.get("/cases/<reference>")
@bp.doc(security=SECURED, summary="A case, as far as you may see it (the view is audited)")
@bp.response(200, CaseOut)
@bp.errors(403, 404)
@token_required("read")
def case(person: User, reference: str):
    return shown_case(view_case(get_db(), person, reference), person)


@bp.get("/clauses")
@bp.doc(security=SECURED, summary="The Social Media Policy's clauses, and which can be breached")
@bp.response(200, ClauseOut(many=True))
@bp.errors(403)
@token_required("read")
def clauses(person: User):
    return [
        {
            "id": c.id,
            "section": c.section,
            "text": c.text,
            "kind": c.kind.value if c.kind else None,
            "breachable": c.id in policy.rule_ids(),
        }
        for c in sorted(policy.clauses().values(), key=lambda c: c.sort_key)
    ]


def _task(row: CaseTask, person: User) -> dict:
    return {
        "id": row.id,
        "title": row.title,
        "case": row.case.reference,
        "procedure": row.case.kind,
        "due_at": row.due_at,
        "overdue": bool(row.due_at and row.due_at < clock.now()),
        "waiting_on": "you" if row.assignee_id == person.id else (row.pool_role or ""),
    }


def shown_case(case: Case, person: User) -> dict:
    db = get_db()
    sees_file = access.sees_case_file(person, case)
    steps = queries.case_tasks(db, case)
    waiting = [t for t in steps if t.state == TaskState.READY]
    mine = {t.id for t in waiting if access.can_complete(person, t, case)}
    shown = waiting if sees_file else [t for t in waiting if t.id in mine]  # the subject: their own steps only
    linked = [c.reference for c in queries.linked_cases(db, case) if access.can_view_case(person, c)]
    return {
        "reference": case.reference,
        "procedure": case.kind,
        "procedure_label": registry.get(case.kind).label,
        "title": case.title,
        "status": case.status,
        "status_label": status_label(case.status),
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "clauses": list(case.clauses),
        "your_roles": sorted(access.party_roles(person, case)),
        "subject": case.subject.name if sees_file or person.id == case.subject_id else None,
        "waiting": [{"title": t.title, "due_at": t.due_at, "task_id": t.id if t.id in mine else None} for t in shown],
        "linked": linked if sees_file else [],
    }
