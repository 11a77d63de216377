"""A step's data contract as JSON Schema (for a caller to build its request),
and a request's JSON body read as the pages' forms are: refused with a
message, never a 500, when it is not an object or holds what cannot be kept."""

from __future__ import annotations

from flask import Request
from marshmallow import Schema, ValidationError

from workflows.engine.errors import InvalidInput

from ..inputs import storable_text
from .errors import flat_messages

# The largest body a step's data needs: its longest texts, several times over.
LARGEST_BODY = 512 * 1024


def describe(contract: type[Schema]) -> dict:
    from . import current_api

    return current_api().ma_plugin.converter.schema2jsonschema(contract)


def json_body(request: Request, largest: int = LARGEST_BODY) -> dict:
    if request.content_length is not None and request.content_length > largest:
        raise InvalidInput(f"The body is larger than {largest // 1024} KB, so nothing was saved.", "json")
    if not request.is_json:
        raise InvalidInput("Send the step's data as JSON (Content-Type: application/json).", "json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("The body must be a JSON object of the step's fields.", "json")
    for name, value in body.items():
        for text in _texts(name, value):
            if not storable_text(text):
                raise InvalidInput("This holds a NUL byte or another control character that cannot be kept.", name)
    return body


def _texts(name, value):
    yield str(name)
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts("", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key, item)


def load(schema: Schema, request: Request, largest: int = LARGEST_BODY) -> dict:
    """A body checked for its shape (types, unknown fields) by `schema`; the
    operation it goes to checks its rules, as it does for the pages."""
    try:
        return schema.load(json_body(request, largest))
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"json": error.messages}
        raise InvalidInput({name: flat_messages(value) for name, value in messages.items()}) from None
