"""/api/docs: the OpenAPI document in Swagger UI, vendored from npm (scripts/vendor_assets.sh)."""

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.get("/api/docs")
def browse():
    return render_template("api/docs.html")
