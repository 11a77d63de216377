"""What every dashboard figure counts over: the cases its viewer may list
(`queries.visible_to`, the case list's own rule), narrowed by the page's
procedure and date-range filter; and the case-list link that shows exactly
the cases a count counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select
from sqlalchemy.orm import Session

from models import Case, Role, User

from .. import registry, tallies
from ..narrowing import opened_between
from ..queries import hidden_from_hr, visible_to


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    opened_from: date | None = None
    opened_to: date | None = None  # inclusive


@dataclass
class Row:
    """One count: its words, its number, and the case list's filter for the cases it counts."""

    label: str
    count: int
    link: dict = field(default_factory=dict)


# A statement built over the given conditions on `Case`.
Build = Callable[[list], Select]
# The same counts over every case, read off the tallies: {key: counts}.
Summed = Callable[[], dict[tuple, list[int]]]


class Scope:
    """A viewer and the page's filters. Figures of history (how cases ended,
    how long they took) are `ranged`: the date range narrows them by the day
    a case was opened. Figures of the work now (open cases, deadlines) are not.

    HR may see every case but a few (their own, those they only reported).
    Asking "is this one of them?" of each of 100,000 rows costs more than the
    count itself, so an HR viewer's counts are everything, less the same
    counts over those few (`tally`). Anyone else sees only the cases they are
    on: the rule itself is the cheap way there."""

    def __init__(self, db: Session, viewer: User, filters: Filters):
        self.db, self.viewer, self.filters = db, viewer, filters
        self.dialect = db.get_bind().dialect.name
        self.hr = viewer.has_role(Role.HR)
        self.hidden = self.hidden_now()
        if self.hr:
            tallies.settle(db)  # this session's own changes count in what it reads

    def hidden_now(self) -> frozenset[int]:
        return frozenset(self.db.scalars(hidden_from_hr(self.viewer))) if self.hr else frozenset()

    def narrowed(self, *, ranged: bool, by_kind: bool = True) -> list:
        """The page's filters, as conditions on `Case` (`by_kind=False`: a
        figure of one procedure's own cases, which the filter can only keep)."""
        where = [Case.kind == self.filters.kind] if self.filters.kind and by_kind else []
        if ranged:
            where += opened_between(self.filters.opened_from, self.filters.opened_to)
        return where

    def cases(self, *, ranged: bool) -> list:
        """The filters and the viewer's rule, for a statement that cannot be
        counted by difference (a median, a list)."""
        if self.hr and not self.hidden:
            return self.narrowed(ranged=ranged)
        return [visible_to(self.viewer), *self.narrowed(ranged=ranged)]

    def days(self, *, ranged: bool) -> tuple[date | None, date | None]:
        """The page's date range (inclusive), for a figure that it narrows."""
        return (self.filters.opened_from, self.filters.opened_to) if ranged else (None, None)

    def tally(
        self, build: Build, *, ranged: bool, keys: int = 0, by_kind: bool = True, summed: Summed | None = None
    ) -> dict[tuple, list[int]]:
        """{key: counts} for a grouped (or, with no keys, a one-row)
        statement whose first `keys` columns are its key and the rest counts:
        over the cases the viewer may see, for HR by difference."""
        found = self.totals(build, ranged=ranged, keys=keys, by_kind=by_kind, summed=summed)
        for key, counts in self.unseen(build, ranged=ranged, keys=keys, by_kind=by_kind).items():
            found[key] = [a - b for a, b in zip(found.get(key, [0] * len(counts)), counts, strict=True)]
        return found

    def totals(
        self, build: Build, *, ranged: bool, keys: int = 0, by_kind: bool = True, summed: Summed | None = None
    ) -> dict[tuple, list[int]]:
        """The statement's counts over every case HR may see but the unseen
        few (so over all of them: from the tallies, given `summed`, their
        read of the same counts); for anyone else, over the cases they may see."""
        if self.hr and summed is not None:
            return summed()
        where = self.narrowed(ranged=ranged, by_kind=by_kind)
        return _rows(self.db, build(where if self.hr else [visible_to(self.viewer), *where]), keys)

    def unseen(self, build: Build, *, ranged: bool, keys: int = 0, by_kind: bool = True) -> dict[tuple, list[int]]:
        """The statement's counts over HR's unseen cases (none for anyone else)."""
        if not self.hidden:
            return {}
        where = [Case.id.in_(self.hidden), *self.narrowed(ranged=ranged, by_kind=by_kind)]
        return _rows(self.db, build(where), keys)

    def count(self, build: Build, *, ranged: bool, by_kind: bool = True, summed: Summed | None = None) -> list[int]:
        """The counts of a one-row statement of counts."""
        return self.tally(build, ranged=ranged, by_kind=by_kind, summed=summed).get((), [])

    def link(self, *, ranged: bool, **narrow) -> dict:
        """The case list's query for a count: the page's filters, then the count's own."""
        found = {"kind": self.filters.kind} if self.filters.kind else {}
        if ranged and self.filters.opened_from:
            found["opened_from"] = self.filters.opened_from.isoformat()
        if ranged and self.filters.opened_to:
            found["opened_to"] = self.filters.opened_to.isoformat()
        return found | {name: value for name, value in narrow.items() if value is not None}

    def procedures(self, declaring: str = "") -> list[registry.Procedure]:
        """The procedures the page is about (the filter's one, or all); only
        those declaring `declaring` (an attribute that is set), if named."""
        found = [p for p in registry.procedures() if not self.filters.kind or p.kind == self.filters.kind]
        return [p for p in found if not declaring or getattr(p, declaring)]


def _rows(db: Session, stmt: Select, keys: int) -> dict[tuple, list[int]]:
    return {tuple(map(_key, row[:keys])): [int(n or 0) for n in row[keys:]] for row in db.execute(stmt)}


def _key(value):
    return tuple(value) if isinstance(value, list) else value  # a JSON list (a case's clauses)


def label(kind: str) -> str:
    procedure = registry.find(kind)
    return procedure.label if procedure else kind
