"""Schemathesis against the live OpenAPI document: for every operation,
generated requests (fitting the document and not) never get a server error,
and every answer fits the document (status code, content type, body schema).

Each operation is driven with hypothesis directly: schemathesis's pytest
loader (`from_fixture`) does not run under pytest 9."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from models import Role
from tests.factories import make_manager, make_takedown, make_user

from .tokens import bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error_or_an_answer_the_document_does_not_describe(app, ctx, db, mode):
    subject = make_user(db, "Ellie Jones")
    make_takedown(ctx, make_manager(db, "Mo Manager"), subject)  # so "my tasks" and a case have content
    subjects = bearer(db, subject, scopes=("read", "tasks"))
    # People and opening are driven by someone who may: an admin who is also HR and a manager.
    staff = bearer(db, make_user(db, "Ada Admin", roles=(Role.ADMIN, Role.HR, Role.MANAGER)), ("tasks", "people"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        by_staff = operation.path.startswith(("/api/v1/people", "/api/v1/takedowns", "/api/v1/breaches"))
        drive(operation, mode, staff if by_staff else subjects)


def drive(operation, mode, headers: dict) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def answers_fit_the_document(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_fit_the_document()
