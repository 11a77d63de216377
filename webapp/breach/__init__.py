from flask import Blueprint

bp = Blueprint("breach", __name__, url_prefix="/breach")

from . import routes  # noqa: E402,F401
