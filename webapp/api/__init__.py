"""The JSON API for the organisation's HR system, under /api/v1 (microblog's
separate API blueprint). flask-smorest builds the OpenAPI document from the
routes and their marshmallow schemas; a step's data is checked by the same
contract as its page (workflows/engine/stepdata.py). Authentication is by
personal token (workflows/engine/tokens.py), never the browser's session, so
no page's cookie can act here and CSRF does not arise."""

from __future__ import annotations

from flask import Flask, current_app
from flask_smorest import Api

from workflows.engine import stepdata

from ..extensions import csrf

DESCRIPTION = (
    "BCW Hub casework: tasks, cases and the Social Media Policy's clauses, for the organisation's HR "
    "system. Every call acts as its token's person, with exactly their rights; every use is audited."
)


class CaseworkApi(Api):
    # Each route documents its own errors (ErrorOut), not flask-smorest's generic one.
    DEFAULT_ERROR_RESPONSE_NAME = None


def init_app(app: Flask) -> None:
    app.config.update(
        API_TITLE="BCW Hub casework API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    # One Api (and so one document) per app: the tests make many apps.
    api = CaseworkApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    api.ma_plugin.map_to_openapi_type(stepdata.Moment, "string", "date-time")
    api.ma_plugin.map_to_openapi_type(stepdata.Day, "string", "date")
    app.extensions["casework_api"] = api
    from . import docs, opening, people, routes  # noqa: F401 (opening and people add their routes to bp)

    csrf.exempt(routes.bp)
    api.register_blueprint(routes.bp, url_prefix="/api/v1")
    app.register_blueprint(docs.bp)


def current_api() -> Api:
    return current_app.extensions["casework_api"]
