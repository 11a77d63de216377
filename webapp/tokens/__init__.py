"""Your API tokens: make one (its secret shown once), see them, revoke one."""

from flask import Blueprint

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")

from . import routes, service_accounts  # noqa: E402,F401
