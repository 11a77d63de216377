"""Outbound webhooks, for admins: subscribe a URL to events, see each delivery's state."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")

from . import routes  # noqa: E402,F401
