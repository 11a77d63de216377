"""Every failure gets a page in plain words; a 500 is a bug. Handlers only
render: the request's transaction was already settled (webapp/application.py)."""

from __future__ import annotations

import logging
from functools import wraps

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, TooManyRequests

from workflows.engine.errors import Forbidden, NotFound, OperationError, StepAlreadyDone
from workflows.engine.tokens import Unauthenticated

from .api import errors as api_errors
from .auth import throttle
from .extensions import services
from .inputs import UnstorableInput

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    app.register_error_handler(NotFound, _json_under_api(_not_found))
    app.register_error_handler(Forbidden, _json_under_api(_forbidden))
    app.register_error_handler(StepAlreadyDone, _json_under_api(_already_done))
    app.register_error_handler(CSRFError, _json_under_api(_csrf))
    app.register_error_handler(RequestEntityTooLarge, _json_under_api(_too_large))
    app.register_error_handler(UnstorableInput, _json_under_api(_unstorable))
    app.register_error_handler(TooManyRequests, _json_under_api(_too_many))
    app.register_error_handler(HTTPException, _json_under_api(_http))
    app.register_error_handler(Unauthenticated, _json_under_api(_unauthenticated))
    app.register_error_handler(Exception, _json_under_api(_unexpected))
    app.after_request(security_headers)


def _json_under_api(handler):
    """Under /api/ every failure is JSON (webapp/api/errors.py); elsewhere a page."""

    @wraps(handler)
    def handle(error):
        if not api_errors.wants_json():
            return handler(error)
        if not isinstance(error, (HTTPException, OperationError, Unauthenticated)):
            log.exception("unexpected error on %s %s", request.method, request.path)
        return api_errors.for_exception(error)

    return handle


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _not_found(error: NotFound):
    return _page(404, "Not found", str(error))


def _unauthenticated(error: Unauthenticated):
    return _page(401, "Not signed in", str(error))


def _forbidden(error: Forbidden):
    return _page(403, "No access", str(error))


def _already_done(error: StepAlreadyDone):
    return render_template("errors/already_done.html", error=error), 409


def _csrf(error: CSRFError):
    return _page(
        400,
        "Please try again",
        "The form had expired or was sent from somewhere else, so nothing was saved. "
        "Go back, reload the page and submit it again.",
    )


def _too_large(error: RequestEntityTooLarge):
    limit = services().settings.max_evidence_megabytes
    return _page(
        413,
        "File too large",
        f"The upload is larger than the {limit} MB limit, so nothing was saved. "
        "Go back and choose a smaller file (a screenshot or PDF).",
    )


def _unstorable(error: UnstorableInput):
    return _page(400, "Characters that cannot be kept", error.description)


def _too_many(error: TooManyRequests):
    seconds = throttle.retry_after()
    minutes = -(-seconds // 60)
    html, status = _page(
        429,
        "Too many failed sign-ins",
        "Too many sign-ins have failed for this account or from this address, so this one was not tried. "
        f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again. "
        "If you did not make these attempts, tell the HR systems team.",
    )
    return html, status, {"Retry-After": str(seconds)}


def _http(error: HTTPException):
    return _page(error.code or 500, error.name, error.description or "")


def _unexpected(error: Exception):
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _page(
        500, "Something went wrong", "Nothing was saved. The error has been logged; please tell the HR systems team."
    )


def security_headers(response):
    if (request.endpoint or "").rsplit(".", 1)[-1] != "static":
        # Case files, letters and inboxes: never kept by the browser or a proxy,
        # so nothing of them outlives sign-out on a shared computer.
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'",
    )
    return response
