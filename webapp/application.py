"""The Flask class this app runs on: one transaction per request.

The request's view runs inside it; when the view returns, the transaction
commits (the only commit a request makes). A refusal rolls back whatever
the view had done, then records the refusal on its own and commits that.
Anything else raised rolls everything back. Error handlers only render.
"""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy.orm.exc import StaleDataError

from workflows.engine.access import record_refusal
from workflows.engine.errors import Forbidden, StepAlreadyDone

from .extensions import get_db


class CaseworkApp(Flask):
    def dispatch_request(self):
        try:
            response = super().dispatch_request()
            _session_do("commit")
        except Forbidden as refusal:
            _session_do("rollback")
            if refusal.refusal is not None:
                record_refusal(get_db(), refusal.refusal)
                _session_do("commit")
            raise
        except StaleDataError:
            # Saved by someone else between this request's read and its
            # write: nothing of this request was kept.
            _session_do("rollback")
            raise StepAlreadyDone("This case", "someone else at the same moment", None, "changed") from None
        except BaseException:
            _session_do("rollback")
            raise
        return response


def _session_do(what: str) -> None:
    db = g.get("db")
    if db is not None:
        getattr(db, what)()
