"""The Flask app factory (flaskr style): `create_app()` for gunicorn and `flask`."""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import time
from pathlib import Path

from flask import Flask
from flask_bootstrap import Bootstrap5
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from models import User, make_engine, make_session_factory
from workflows.engine import diagram_contract, registry
from workflows.engine.context import Settings
from workflows.engine.errors import ProcedureError
from workflows.engine.outbox import MailSettings
from workflows.engine.specs import ProcessLibrary

from . import errors, filters, inputs, procedures
from .application import CaseworkApp
from .auth import throttle
from .extensions import Services, close_db, csrf, get_db, login_manager


def create_app(config: dict | None = None) -> Flask:
    config = config or {}
    procedures.load()
    app = CaseworkApp(__name__, instance_relative_config=True, instance_path=config.get("INSTANCE_PATH"))
    app.config.from_mapping(_defaults(app), **config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("workflows", "worker", "webapp"):
        logging.getLogger(name).setLevel(logging.INFO)

    app.url_map.converters["int"] = inputs.DatabaseId  # before any route is added
    app.before_request(inputs.refuse_unstorable_input)
    app.extensions["casework"] = _services(app)
    _check_procedures(app.extensions["casework"].library)
    Bootstrap5(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.user_loader(_load_user)
    app.teardown_appcontext(close_db)

    _register_blueprints(app)
    throttle.init_app(app)
    if app.config["PROXIES"]:  # the client's address and scheme, as the trusted proxies say
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=app.config["PROXIES"])
    errors.register(app)
    filters.register(app)
    from .cli import register as register_cli

    register_cli(app)
    return app


def _defaults(app: Flask) -> dict:
    env = os.environ
    return {
        "SECRET_KEY": env.get("SECRET_KEY"),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'casework.sqlite3'}",
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "") == "1",
        "MAIL_SENDER": env.get("MAIL_SENDER", "BCW Hub HR <hr@bcwhub.org.uk>"),
        "EVIDENCE_DIR": env.get("EVIDENCE_DIR") or str(Path(app.instance_path) / "evidence"),
        "AUDIT_ANCHOR_LOG": env.get("AUDIT_ANCHOR_LOG") or str(Path(app.instance_path) / "audit-anchors.jsonl"),
        "AUDIT_ANCHOR_KEY": env.get("AUDIT_ANCHOR_KEY") or str(Path(app.instance_path) / "audit-anchor.key"),
        "AUDIT_ANCHOR_EMAIL": env.get("AUDIT_ANCHOR_EMAIL") or None,
        "ANCHOR_EVERY_MINUTES": float(env.get("ANCHOR_EVERY_MINUTES", "60")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "REMEMBER_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Failed sign-ins (webapp/auth/throttle.py); memory:// counts per process.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT") or "10 per 15 minutes",
        "LOGIN_LIMIT_PER_ADDRESS": env.get("LOGIN_LIMIT_PER_ADDRESS") or "50 per 15 minutes",
        "PROXIES": int(env.get("PROXIES") or 0),
        "RETENTION_YEARS": int(env.get("RETENTION_YEARS") or 6),
        # RETENTION_YEARS_<KIND>, e.g. RETENTION_YEARS_DISCIPLINARY=8: one procedure's own period.
        "RETENTION_BY_KIND": {
            name.removeprefix("RETENTION_YEARS_").lower(): int(value)
            for name, value in env.items()
            if name.startswith("RETENTION_YEARS_") and value
        },
    }


def _instance_secret(app: Flask) -> str:
    """A random key kept in the instance folder, so none is ever in the repo."""
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # created 0600 (never readable by others, not even for a moment); exclusive, so two workers agree
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32))
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    """The key, once whoever created the file has written it."""
    for _ in range(100):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty: remove it and start again, or set SECRET_KEY.")


def _services(app: Flask) -> Services:
    c = app.config
    sessions = c.get("SESSION_FACTORY") or make_session_factory(make_engine(c["DATABASE_URL"]))
    settings = Settings(
        base_url=c["BASE_URL"],
        evidence_dir=Path(c["EVIDENCE_DIR"]),
        anchor_log=Path(c["AUDIT_ANCHOR_LOG"]),
        anchor_key=Path(c["AUDIT_ANCHOR_KEY"]),
        anchor_email=c["AUDIT_ANCHOR_EMAIL"],
        anchor_every_minutes=c["ANCHOR_EVERY_MINUTES"],
        retention_years=c["RETENTION_YEARS"],
        retention_by_kind=c["RETENTION_BY_KIND"],
    )
    # The request may carry the largest upload plus the form around it.
    if c.get("MAX_CONTENT_LENGTH") is None:
        c["MAX_CONTENT_LENGTH"] = settings.max_evidence_bytes + 256 * 1024
    mail = MailSettings(
        host=c["MAIL_SERVER"],
        port=c["MAIL_PORT"],
        username=c["MAIL_USERNAME"],
        password=c["MAIL_PASSWORD"],
        starttls=c["MAIL_USE_TLS"],
        sender=c["MAIL_SENDER"],
    )
    return Services(
        sessions=sessions, library=c.get("PROCESS_LIBRARY") or ProcessLibrary(), settings=settings, mail=mail
    )


def _check_procedures(library: ProcessLibrary) -> None:
    """Refuse to start with a diagram, step or page that does not resolve."""
    diagram_contract.assert_sound(registry.procedures(), library)
    problems = procedures.check()
    if problems:
        raise ProcedureError("The procedures' pages do not fit them:\n" + "\n".join(problems))


def _load_user(session_id: str) -> User | None:
    """The user a session (or remember-me cookie) names, while the session
    token it carries is still the account's: sign-out, deactivation and a new
    password replace it (`people.revoke_sessions`)."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isdecimal() and token) or int(user_id) > inputs.LARGEST_ID:
        return None  # a session from before tokens, or not one of ours
    user = get_db().get(User, int(user_id), options=[joinedload(User.role_rows)])
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def _register_blueprints(app: Flask) -> None:
    from .audit import bp as audit_bp
    from .auth import bp as auth_bp
    from .cases import bp as cases_bp
    from .policy import bp as policy_bp
    from .retention import bp as retention_bp
    from .tasks import bp as tasks_bp

    for blueprint in (auth_bp, tasks_bp, cases_bp, policy_bp, audit_bp, retention_bp):
        app.register_blueprint(blueprint)
    for pages in procedures.all_pages():
        app.register_blueprint(pages.blueprint)
    from . import api, dashboard, people, tokens, webhooks

    app.register_blueprint(dashboard.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(tokens.bp)
    app.register_blueprint(webhooks.bp)
    api.init_app(app)
