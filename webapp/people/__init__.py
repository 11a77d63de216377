"""The people directory for admins: who is on record, adding a person (who
is emailed a link to choose their password), changing their details, roles
and line manager, and deactivating them. The checks are the directory's
(workflows/engine/directory.py), the same the HR system's API meets."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/admin/people")

from . import routes  # noqa: E402,F401
