from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from . import bundle, records, routes  # noqa: E402,F401
