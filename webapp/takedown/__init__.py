from flask import Blueprint

bp = Blueprint("takedown", __name__, url_prefix="/takedown")

from . import routes  # noqa: E402,F401
