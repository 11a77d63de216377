"""The Flask class this app runs on: one transaction per request.

The request's view runs inside it; when the view returns, the transaction
commits (the only commit a request makes). A refusal rolls back whatever
the view had done, then records the refusal on its own and commits that.
Anything else raised rolls everything back. Error handlers only render.

On SQLite a GET begins DEFERRED, so a page that only reads never queues
behind a writer. A GET that also writes (a case page records its view) may
then find its snapshot overtaken by another writer; it is run once more,
from the start, in a transaction that takes the write lock first.
"""

from __future__ import annotations

from flask import Flask, g, request, session
from flask.globals import request_ctx
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from models.base import READS_ONLY
from workflows.engine.access import record_refusal
from workflows.engine.errors import Forbidden, NotFound, OperationError, StepAlreadyDone

from .extensions import get_db


class CaseworkApp(Flask):
    def dispatch_request(self):
        if (
            request.method not in ("GET", "HEAD")
            or request.endpoint == "static"
            or get_db().get_bind().dialect.name != "sqlite"
        ):
            return self._in_one_transaction(reads_first=False)
        flashes = list(session.get("_flashes", []))
        try:
            return self._in_one_transaction(reads_first=True)
        except _SnapshotOvertaken:
            session["_flashes"] = flashes  # shown again by the second run, not lost with the first
            request_ctx.flashes = None
            return self._in_one_transaction(reads_first=False)

    def _in_one_transaction(self, reads_first: bool):
        if reads_first:
            get_db().connection(execution_options={READS_ONLY: True})
        try:
            response = self.make_response(super().dispatch_request())
            _settle(response.status_code)
            _session_do("commit")
        except Forbidden as refusal:
            _session_do("rollback")
            if refusal.refusal is not None:
                record_refusal(get_db(), refusal.refusal)
            _settle(403)
            _session_do("commit")
            raise
        except (OperationError, HTTPException) as failure:  # refused input, a missing record: nothing kept
            _session_do("rollback")
            if g.get("settle"):
                _settle(_status_of(failure))
                _session_do("commit")
            raise
        except StaleDataError:
            # Saved by someone else between this request's read and its
            # write: nothing of this request was kept.
            _session_do("rollback")
            raise StepAlreadyDone("This case", "someone else at the same moment", None, "changed") from None
        except OperationalError as error:
            _session_do("rollback")
            if reads_first and "database is locked" in str(error):
                raise _SnapshotOvertaken from error
            raise
        except BaseException:
            _session_do("rollback")
            raise
        return response


def _settle(status: int) -> None:
    """What must be recorded however the request ended (an API token's use),
    run in its transaction: after the view, or after a refusal's rollback."""
    for record in g.pop("settle", ()):
        record(status)


def _status_of(failure: Exception) -> int:
    if isinstance(failure, HTTPException):
        return failure.code or 500
    return 409 if isinstance(failure, StepAlreadyDone) else 404 if isinstance(failure, NotFound) else 400


class _SnapshotOvertaken(Exception):
    """A deferred SQLite transaction could not start writing: run again."""


def _session_do(what: str) -> None:
    db = g.get("db")
    if db is not None:
        getattr(db, what)()
