"""Per-app services and the per-request database session."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session, sessionmaker

from workflows.engine.context import Context, Settings
from workflows.engine.outbox import MailSettings
from workflows.engine.specs import ProcessLibrary

login_manager = LoginManager()
csrf = CSRFProtect()


@dataclass
class Services:
    sessions: sessionmaker
    library: ProcessLibrary
    settings: Settings
    mail: MailSettings


def services() -> Services:
    return current_app.extensions["casework"]


def get_db() -> Session:
    """One session per request, closed at teardown; the request's one
    transaction is committed by `CaseworkApp.dispatch_request`."""
    if "db" not in g:
        g.db = services().sessions()
    return g.db


def get_ctx() -> Context:
    s = services()
    return Context(db=get_db(), library=s.library, settings=s.settings)


def close_db(_error=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
