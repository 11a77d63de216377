"""The Flask app factory (flaskr style): `create_app()` for gunicorn and `flask`."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from flask_bootstrap import Bootstrap5
from sqlalchemy.orm import joinedload

from models import User, make_engine, make_session_factory
from workflows.engine import diagram_contract, registry
from workflows.engine.context import Settings
from workflows.engine.errors import ProcedureError
from workflows.engine.outbox import MailSettings
from workflows.engine.specs import ProcessLibrary

from . import errors, filters, inputs, procedures
from .application import CaseworkApp
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
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    }


def _instance_secret(app: Flask) -> str:
    """A random key kept in the instance folder, so none is ever in the repo."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _services(app: Flask) -> Services:
    c = app.config
    sessions = c.get("SESSION_FACTORY") or make_session_factory(make_engine(c["DATABASE_URL"]))
    settings = Settings(base_url=c["BASE_URL"], evidence_dir=Path(c["EVIDENCE_DIR"]))
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


def _load_user(user_id: str) -> User | None:
    user = get_db().get(User, int(user_id), options=[joinedload(User.role_rows)])
    return user if user and user.active else None


def _register_blueprints(app: Flask) -> None:
    from .audit import bp as audit_bp
    from .auth import bp as auth_bp
    from .cases import bp as cases_bp
    from .policy import bp as policy_bp
    from .tasks import bp as tasks_bp

    for blueprint in (auth_bp, tasks_bp, cases_bp, policy_bp, audit_bp):
        app.register_blueprint(blueprint)
    for pages in procedures.all_pages():
        app.register_blueprint(pages.blueprint)
