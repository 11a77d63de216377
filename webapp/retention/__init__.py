"""HR's data-protection pages: what the retention schedule will anonymise in
the next 90 days, legal holds, and who looked at a person's cases."""

from flask import Blueprint

bp = Blueprint("retention", __name__, url_prefix="/data-protection")

from . import routes  # noqa: E402,F401
