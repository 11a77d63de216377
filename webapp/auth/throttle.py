"""Sign-in is limited per account and per address (Flask-Limiter).

Only failed sign-ins count, so people who type their password right are never
held up. Past a limit, the next attempt is refused before its password is even
checked, whether or not the email names an account (a 429 page); each refusal
is audited on that account's sign-in chain (`audit.signin_chain`), not on one
chain every sign-in shares.

The counts live in `RATELIMIT_STORAGE_URI`: `memory://` is per process, so
with several gunicorn workers production points it at Redis.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from workflows.engine import people

from ..extensions import get_db

ENDPOINT = "auth.login"


def init_app(app: Flask) -> Limiter:
    """Limit POSTs to the sign-in page; call once its route is registered."""
    limiter = Limiter(get_remote_address)
    limiter.init_app(app)
    view = app.view_functions[ENDPOINT]
    for which, key in (("account", _account_key), ("address", _address_key)):
        view = limiter.limit(
            lambda which=which: current_app.config[f"LOGIN_LIMIT_PER_{which.upper()}"],
            key_func=key,
            methods=["POST"],
            deduct_when=_failed,
            on_breach=_audited(which),
            scope=f"sign-in per {which}",
        )(view)
    app.view_functions[ENDPOINT] = view
    return limiter


def failed_sign_in() -> None:
    """The view says the credentials did not match: this attempt counts."""
    g.sign_in_failed = True


def retry_after() -> int:
    """Seconds until the breached limit lets another attempt through."""
    return g.get("sign_in_retry_after", 60)


def _failed(_response) -> bool:
    return g.get("sign_in_failed", False)


def _email() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _account_key() -> str:
    email = _email()
    return f"account:{email}" if email else ""  # no email, no account to count against


def _address_key() -> str:
    return f"address:{get_remote_address()}"


def _audited(which: str):
    def on_breach(limit) -> None:
        db = get_db()
        people.record_throttled(db, _email(), request.remote_addr or "", f"per {which}: {limit.limit}")
        db.commit()  # nothing else ran: the refusal is the request's one change
        g.sign_in_retry_after = max(1, int(limit.reset_at - time.time()) + 1)

    return on_breach
