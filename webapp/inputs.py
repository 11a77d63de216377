"""Input the database cannot keep is turned away at the door, before any view
runs: ids in paths beyond the database's integers name no record (404), and
NUL or another control character in the address, a query or a form field is
a 400 page saying so. Nothing is stored, so no later page can break on it.
Upload names are cleaned where they are stored (`evidence.safe_filename`)."""

from __future__ import annotations

import re

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# PostgreSQL's `integer` (every id column here) ends at 2**31 - 1; SQLite's at 2**63 - 1.
from workflows.engine.stepdata import LARGEST_ID

# Free text keeps tabs and line breaks; nothing else below the space.
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# An address, a query value or a form field's name keeps none.
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f]")


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a number no id column can hold does not
    match the route, so it is the 404 a missing record gets."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


class UnstorableInput(BadRequest):
    def __init__(self, where: str):
        super().__init__(
            f"{where} held a character that cannot be kept (a NUL byte or another control character), "
            "so nothing was saved. Go back (your browser keeps what you typed), remove it and send it again."
        )


def refuse_unstorable_input() -> None:
    """A `before_request` hook: refuse the request if any part of it holds
    what the database cannot keep."""
    where = _first_unstorable()
    if where:
        raise UnstorableInput(where)


def _first_unstorable() -> str | None:
    if _LINE_CONTROLS.search(request.path):
        return "The page address"
    for name, value in request.args.items(multi=True):
        if _LINE_CONTROLS.search(name) or _LINE_CONTROLS.search(value):
            return f"The search field “{_printable(name)}”"
    if request.method in ("POST", "PUT", "PATCH"):
        for name, value in request.form.items(multi=True):
            if _LINE_CONTROLS.search(name) or _TEXT_CONTROLS.search(value):
                return f"The field “{_printable(name)}”"
    return None


def storable_text(value: str) -> bool:
    """Free text the database can keep (tabs and line breaks, nothing else below the space)."""
    return not _TEXT_CONTROLS.search(value)


def _printable(name: str) -> str:
    return _LINE_CONTROLS.sub("", name)[:60] or "?"
