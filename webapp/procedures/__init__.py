"""The web side of each procedure: one package per procedure (forms, routes,
templates) registering its pages here; the generic task and case pages ask
here instead of naming a procedure. The packages imported are the ones in
`workflows.procedures.INSTALLED`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint

from workflows import procedures as installed
from workflows.engine import registry
from workflows.engine.errors import ProcedureError

from ..forms import NOT_DATA, TaskForm


@dataclass(frozen=True)
class ProcedurePages:
    kind: str
    blueprint: Blueprint
    forms: Mapping[str, type[TaskForm]]  # by the form names the diagram uses
    summary: str  # template at the top of a case page: the request, the allegation
    heading: str  # that section's heading
    new_case: str | None = None  # endpoint of the page that opens a case
    new_case_label: str = ""


# A case whose procedure has no pages here (e.g. one no longer installed)
# still shows its parties, timeline and clauses.
GENERIC = ProcedurePages(
    kind="", blueprint=Blueprint("generic", __name__), forms={}, summary="cases/_summary.html", heading="The case"
)

_pages: dict[str, ProcedurePages] = {}


def register(pages: ProcedurePages) -> ProcedurePages:
    _pages[pages.kind] = pages
    return pages


def unregister(kind: str) -> None:
    _pages.pop(kind, None)


def pages_for(kind: str) -> ProcedurePages:
    return _pages.get(kind, GENERIC)


def all_pages() -> list[ProcedurePages]:
    return list(_pages.values())


def load() -> None:
    installed.load()
    for name in installed.INSTALLED:
        importlib.import_module(f"{__name__}.{name}")


def task_form(kind: str, form_name: str) -> type[TaskForm]:
    form = pages_for(kind).forms.get(form_name)
    if form is None:
        raise ProcedureError(f"{kind}: no page form is registered for the step '{form_name}'")
    return form


def check() -> list[str]:
    """Every registered procedure has pages, and every step a form whose
    fields are the step's contract, name for name."""
    problems = []
    for procedure in registry.procedures():
        pages = _pages.get(procedure.kind)
        if pages is None:
            problems.append(f"{procedure.kind}: no pages are registered")
            continue
        for name, step in procedure.steps.items():
            form = pages.forms.get(name)
            if form is None:
                problems.append(f"{procedure.kind}: the step '{name}' has no form")
                continue
            fields = {f for f in dir(form) if _is_field(getattr(form, f, None))} - NOT_DATA
            wanted = set(step.contract().fields)
            if fields != wanted:
                problems.append(
                    f"{procedure.kind}: {form.__name__} has fields {sorted(fields)}, "
                    f"its step's contract {sorted(wanted)}"
                )
    return problems


def _is_field(value) -> bool:
    return hasattr(value, "field_class")  # an unbound WTForms field
