"""Plain-text templates for notices and letters (Jinja), one environment per
procedure folder. Template helpers the whole organisation shares (quoting the
policy) are added once at start-up with `add_global`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

_globals: dict[str, object] = {}
_ENDS_A_SENTENCE = (".", "!", "?", "…")


def full_stop(text: str | None) -> str:
    """The full stop a quoted reason needs after it: none if the person
    already ended it with one ("Abusive wording." not "Abusive wording..")."""
    return "" if str(text or "").rstrip().endswith(_ENDS_A_SENTENCE) else "."


def add_global(name: str, value: object) -> None:
    _globals[name] = value
    _environment.cache_clear()


@cache
def _environment(folder: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder), undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False
    )  # plain text, never HTML
    env.globals.update(_globals)
    env.filters["full_stop"] = full_stop
    return env


def exists(folder: Path, name: str) -> bool:
    return (folder / f"{name}.txt").is_file()


def render(folder: Path, name: str, header: str, **context) -> tuple[str, str]:
    """Render `name`.txt; its first line is "<header>: ...", the rest the body."""
    text = _environment(folder).get_template(f"{name}.txt").render(**context)
    first, _, body = text.partition("\n")
    return first.removeprefix(f"{header}:").strip(), body.strip() + "\n"
