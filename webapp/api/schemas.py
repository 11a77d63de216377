"""What the API answers with: its response schemas (and so the OpenAPI
document's). Requests are checked by the operations' own contracts."""

from __future__ import annotations

from marshmallow import Schema, fields


class ErrorOut(Schema):
    code = fields.String(required=True, metadata={"description": "Stable: bad_request, forbidden, not_found, ..."})
    message = fields.String(required=True)
    # "fields" would shadow marshmallow's own Schema.fields
    field_errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        data_key="fields",
        metadata={"description": "The messages for each field at fault"},
    )


class TaskOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    case = fields.String(required=True, metadata={"description": "The case's reference"})
    procedure = fields.String(required=True)
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean(required=True)
    waiting_on = fields.String(required=True, metadata={"description": "you, or the pool it waits in"})


class TaskDetailOut(TaskOut):
    contract = fields.Dict(required=True, metadata={"description": "JSON Schema of the data that completes it"})
    answers = fields.Dict(
        required=True, metadata={"description": "Each choice field's answers in words, by field name"}
    )


class StepOut(Schema):
    title = fields.String(required=True)
    due_at = fields.DateTime(allow_none=True)
    task_id = fields.Integer(allow_none=True, metadata={"description": "Set when the step is yours to complete"})


class CaseOut(Schema):
    reference = fields.String(required=True)
    procedure = fields.String(required=True)
    procedure_label = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    opened_at = fields.DateTime(required=True)
    closed_at = fields.DateTime(allow_none=True)
    clauses = fields.List(fields.String(), required=True)
    your_roles = fields.List(fields.String(), required=True)
    subject = fields.String(allow_none=True, metadata={"description": "Only to readers of the case file"})
    waiting = fields.List(fields.Nested(StepOut), required=True)
    linked = fields.List(fields.String(), required=True)


class ClauseOut(Schema):
    id = fields.String(required=True)
    section = fields.String(required=True)
    text = fields.String(required=True)
    kind = fields.String(allow_none=True, metadata={"description": "rule, duty, power, purpose, advice, consequence"})
    breachable = fields.Boolean(required=True)


class PersonOut(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    person_type = fields.String(required=True, metadata={"description": "employee, volunteer or trustee"})
    job_title = fields.String(required=True)
    line_manager_email = fields.String(allow_none=True)
    roles = fields.List(fields.String(), required=True)
    active = fields.Boolean(required=True, metadata={"description": "false once deactivated: never deleted"})


class PersonChange(Schema):
    """What an HR system may set; in a change, only the fields sent are changed.
    The directory's rules (workflows/engine/directory.py) check the values."""

    email = fields.String(metadata={"description": "Unique, case-insensitive"})
    name = fields.String()
    person_type = fields.String(metadata={"enum": ["employee", "volunteer", "trustee"]})
    job_title = fields.String()
    line_manager_email = fields.String(allow_none=True, metadata={"description": "null or empty: no line manager"})
    roles = fields.List(fields.String(), metadata={"description": "hr, manager, hub_manager, chair, admin"})


class PersonIn(PersonChange):
    email = fields.String(required=True, metadata={"description": "Unique, case-insensitive"})
    name = fields.String(required=True)
    invite = fields.Boolean(
        load_default=True, metadata={"description": "Email them a one-time link to choose a password (default)"}
    )


class EvidenceIn(Schema):
    filename = fields.String(required=True, metadata={"description": "Such as screenshot.png"})
    content_base64 = fields.String(required=True, metadata={"description": "The file, base64-encoded"})
    captured_at = fields.DateTime(allow_none=True, metadata={"description": "When it was captured; default now"})


class TakedownIn(Schema):
    subject_email = fields.String(required=True, metadata={"description": "Who posted it"})
    platform = fields.String(required=True)
    urls = fields.List(fields.String(), required=True)
    clauses = fields.List(fields.String(), required=True, metadata={"description": "The rules it breaches"})
    reasons = fields.String(required=True)
    deadline_hours = fields.Float(load_default=24.0, allow_nan=False)
    evidence = fields.Nested(EvidenceIn, required=True, metadata={"description": "Captured before removal"})


class BreachIn(Schema):
    subject_email = fields.String(required=True, metadata={"description": "Who the concern is about"})
    source = fields.String(required=True, metadata={"description": "How it came to light"})
    clauses = fields.List(fields.String(), required=True, metadata={"description": "The clauses alleged"})
    description = fields.String(required=True)
    reported_by_email = fields.String(allow_none=True, metadata={"description": "A colleague who reported it"})
    evidence = fields.Nested(EvidenceIn, allow_none=True)
