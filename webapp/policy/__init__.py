from flask import Blueprint

bp = Blueprint("policy", __name__)

from . import routes  # noqa: E402,F401
