"""The HR dashboard: the caseload at a glance, for HR and the Hub Manager."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from . import routes  # noqa: E402,F401
