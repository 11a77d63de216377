"""/api/v1/takedowns and /api/v1/breaches: opening a takedown request or a
breach case, as the pages do: the same right to open it, the same checks
(the procedures' `check_request` and `check_report`), the same audit."""

from __future__ import annotations

import base64
import binascii
from contextlib import contextmanager
from io import BytesIO

from flask import request

from models import Evidence, User
from workflows.engine import access, clock, people, registry
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import store_upload
from workflows.procedures.breach.opening import KIND as BREACH
from workflows.procedures.breach.opening import BreachReport, open_breach
from workflows.procedures.takedown.opening import KIND as TAKEDOWN
from workflows.procedures.takedown.opening import TakedownRequest, request_takedown

from ..extensions import get_ctx
from . import contracts
from .auth import token_required
from .routes import SECURED, bp, json_body_doc, shown_case
from .schemas import BreachIn, CaseOut, TakedownIn

# The operations name the page's fields; the API's are these.
API_FIELDS = {"subject": "subject_email", "reported_by": "reported_by_email", "captured_at": "evidence"}


@bp.post("/takedowns")
@bp.doc(
    security=SECURED,
    summary="Send a takedown request [SMP-5.8] (managers and HR)",
    requestBody=json_body_doc(TakedownIn),
)
@bp.response(201, CaseOut)
@bp.errors(403)
@token_required("tasks")
def open_takedown(person: User):
    _may_open(person, TAKEDOWN)
    data = contracts.load(TakedownIn(), request, _largest())
    with _in_api_words():
        evidence = _evidence(person, data["evidence"])
        case = request_takedown(
            get_ctx(),
            person,
            TakedownRequest(
                subject=_person(data["subject_email"], "subject_email"),
                platform=data["platform"],
                urls=[url.strip() for url in data["urls"]],
                clauses=sorted(set(data["clauses"])),
                reasons=data["reasons"].strip(),
                deadline_hours=data["deadline_hours"],
                evidence=[evidence],
                captured_at=evidence.captured_at,
            ),
        )
    return shown_case(case, person)


@bp.post("/breaches")
@bp.doc(security=SECURED, summary="Open a breach investigation (HR)", requestBody=json_body_doc(BreachIn))
@bp.response(201, CaseOut)
@bp.errors(403)
@token_required("tasks")
def open_breach_case(person: User):
    _may_open(person, BREACH)
    data = contracts.load(BreachIn(), request, _largest())
    with _in_api_words():
        reporter = data.get("reported_by_email")
        report = BreachReport(
            subject=_person(data["subject_email"], "subject_email"),
            source=data["source"],
            clauses=sorted(set(data["clauses"])),
            description=data["description"].strip(),
            reported_by=_person(reporter, "reported_by_email") if reporter else None,
            evidence=[_evidence(person, data["evidence"])] if data.get("evidence") else [],
        )
        case = open_breach(get_ctx(), person, report)
    return shown_case(case, person)


def _may_open(person: User, kind: str) -> None:
    procedure = registry.get(kind)
    if not access.can_open(person, procedure):
        access.refuse(person, None, f"opened a {procedure.label.lower()} through the API without the role for it")


def _person(email: str, field: str) -> User:
    found = people.find_by_email(get_ctx().db, email)
    if found is None or found.service_account:
        raise InvalidInput(f"Nobody has the email {email.strip()}.", field)
    return found


def _evidence(person: User, sent: dict) -> Evidence:
    try:
        raw = base64.b64decode(sent["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("content_base64 is not base64: encode the file's bytes.", "evidence") from None
    captured = sent.get("captured_at") or clock.now()
    if captured.tzinfo is None:  # a time without its zone is taken as UTC, as stored
        captured = captured.replace(tzinfo=clock.now().tzinfo)
    try:
        return store_upload(
            get_ctx().settings, BytesIO(raw), sent["filename"], person, "Captured before removal", captured
        )
    except InvalidInput as error:  # too big, or not a screenshot or document: said of the evidence
        raise InvalidInput({"evidence": [m for messages in error.errors.values() for m in messages]}) from None


def _largest() -> int:
    return get_ctx().settings.max_evidence_bytes * 4 // 3 + contracts.LARGEST_BODY  # base64 is 4/3 the file


@contextmanager
def _in_api_words():
    """Refusals name the API's fields, not the page's."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput({API_FIELDS.get(k, k): v for k, v in error.errors.items()}) from None
