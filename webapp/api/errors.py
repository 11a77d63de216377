"""JSON errors for /api/...: a stable code and a message a person can read
(microblog's `error_response`), with the fields at fault for bad input."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "already_done",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "server_error",
}


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, message: str, fields: dict[str, list[str]] | None = None, code: str | None = None):
    body: dict = {"code": code or CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def http_error(error: HTTPException):
    """werkzeug's and webargs' errors; a body webargs could not load names its fields."""
    status = error.code or 500
    messages = (getattr(error, "data", None) or {}).get("messages") or {}
    fields: dict[str, list[str]] = {}
    for location, where in messages.items():  # {"json": {"field": [...]}} or {"json": ["Invalid JSON body."]}
        if isinstance(where, dict):
            fields.update({name: flat_messages(value) for name, value in where.items()})
        else:
            fields[location] = flat_messages(where)
    if fields:
        return error_response(400, "Some of the data sent cannot be taken: see the fields named.", fields)
    return error_response(status, error.description or error.name)


def flat_messages(value) -> list[str]:
    if isinstance(value, dict):
        return [message for item in value.values() for message in flat_messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in flat_messages(item)]
    return [str(value)]


def for_exception(error: Exception):
    """The JSON twin of each page in webapp/errors.py."""
    from werkzeug.exceptions import RequestEntityTooLarge

    from workflows.engine.errors import Forbidden, InvalidInput, NotFound, StepAlreadyDone
    from workflows.engine.tokens import Unauthenticated

    if isinstance(error, Unauthenticated):
        return error_response(401, str(error))
    if isinstance(error, NotFound):
        return error_response(404, str(error))
    if isinstance(error, Forbidden):
        return error_response(403, str(error))
    if isinstance(error, InvalidInput):
        return error_response(400, str(error), error.errors, code="invalid_input")
    if isinstance(error, StepAlreadyDone):
        when = f" on {error.at:%-d %B %Y at %H:%M}" if error.at else ""
        return error_response(409, f"“{error.step}” was already {error.outcome} by {error.by}{when}.")
    if isinstance(error, RequestEntityTooLarge):
        return error_response(413, "The request is too large, so nothing was saved.")
    if isinstance(error, HTTPException):
        return http_error(error)
    return error_response(500, "Something went wrong. Nothing was saved; the error has been logged.")
