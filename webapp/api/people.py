"""/api/v1/people: the HR system keeps the people directory in sync (add,
change, deactivate; line managers by email). Admins only, with a token that
has the "people" scope; the directory's operations check every value, and
audit each change with what it was before."""

from __future__ import annotations

from flask import request
from flask.views import MethodView

from models import User
from workflows.engine import directory

from ..extensions import get_ctx, get_db
from . import contracts
from .auth import token_required
from .routes import SECURED, bp, json_body_doc
from .schemas import PersonChange, PersonIn, PersonOut

EMAIL_QUERY = {"in": "query", "name": "email", "schema": {"type": "string"}, "description": "Only this email"}


@bp.route("/people")
class People(MethodView):
    @bp.doc(security=SECURED, summary="Everyone in the directory (deactivated too)", parameters=[EMAIL_QUERY])
    @bp.response(200, PersonOut(many=True))
    @bp.errors(403)
    @token_required("people")
    def get(self, person: User):
        return [shown(p) for p in directory.listing(get_db(), person, request.args.get("email", ""))]

    @bp.doc(security=SECURED, summary="Add a person (emailed a one-time link to choose a password)")
    @bp.doc(requestBody=json_body_doc(PersonIn))
    @bp.response(201, PersonOut)
    @bp.errors(403)
    @token_required("people")
    def post(self, person: User):
        values = contracts.load(PersonIn(), request)
        invite_from = get_ctx().settings.base_url if values.pop("invite") else None
        return shown(directory.add(get_db(), person, values, invite_from))


@bp.route("/people/<int:person_id>")
class Person(MethodView):
    @bp.doc(security=SECURED, summary="A person in the directory")
    @bp.response(200, PersonOut)
    @bp.errors(403, 404)
    @token_required("people")
    def get(self, person: User, person_id: int):
        return shown(directory.person(get_db(), person, person_id))

    @bp.doc(security=SECURED, summary="Change a person's details: only the fields sent change")
    @bp.doc(requestBody=json_body_doc(PersonChange))
    @bp.response(200, PersonOut)
    @bp.errors(403, 404)
    @token_required("people")
    def patch(self, person: User, person_id: int):
        return shown(directory.update(get_db(), person, person_id, contracts.load(PersonChange(), request)))


@bp.route("/people/<int:person_id>/deactivate")
class Deactivation(MethodView):
    @bp.doc(security=SECURED, summary="Deactivate a person: no more sign-ins; their cases are kept whole")
    @bp.response(200, PersonOut)
    @bp.errors(403, 404)
    @token_required("people")
    def post(self, person: User, person_id: int):
        return shown(directory.deactivate(get_db(), person, person_id))


@bp.route("/people/<int:person_id>/invite")
class Invitation(MethodView):
    @bp.doc(security=SECURED, summary="Email a fresh one-time link to choose a password (earlier ones stop working)")
    @bp.response(200, PersonOut)
    @bp.errors(403, 404)
    @token_required("people")
    def post(self, person: User, person_id: int):
        return shown(directory.send_invitation(get_db(), person, person_id, get_ctx().settings.base_url))


def shown(person: User) -> dict:
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "person_type": person.person_type,
        "job_title": person.job_title,
        "line_manager_email": person.line_manager.email if person.line_manager else None,
        "roles": sorted(person.roles),
        "active": person.active,
    }
