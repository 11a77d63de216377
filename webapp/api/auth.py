"""A route's token and scope: `@token_required("read")`. The token's person
is who acts, with exactly their rights; each use is audited with the token's
id once the request's outcome is known (webapp/application.py settles it)."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from models import User
from workflows.engine import tokens
from workflows.engine.errors import Forbidden, Refusal

from ..extensions import get_db


def token_required(scope: str):
    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):  # args: a MethodView's self, if any
            return view(*args, person=authenticate(scope), **kwargs)

        return checked

    return decorate


def authenticate(scope: str) -> User:
    header = request.headers.get("Authorization", "")
    kind, _, secret = header.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        raise tokens.Unauthenticated("Send a personal API token: Authorization: Bearer <token>.")
    db = get_db()
    token = tokens.authenticate(db, secret.strip())
    # Recorded whatever the answer (webapp/application.py `_settle`), even
    # after a refusal rolled the request back.
    g.settle = [lambda status: tokens.record_use(db, token, request.method, request.path, status)]
    if scope not in token.scope_set:
        raise Forbidden(
            f"This token does not have the “{scope}” scope ({tokens.SCOPES[scope]}). Make one that has.",
            Refusal(token.user.id, token.user.name, None, f"used API token #{token.id} without the {scope} scope"),
        )
    return token.user
