"""The procedure registry: each procedure declares itself once, and the
engine, the worker and the web app ask here instead of naming it.

A procedure package (`workflows/procedures/<name>/`) builds one `Procedure`
and passes it to `register` when it is imported; the list of packages
imported at start-up is `workflows.procedures.INSTALLED`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ProcedureError

if TYPE_CHECKING:
    from marshmallow import Schema
    from sqlalchemy.orm import Session

    from models import Case, User

    from .context import Context

# Every case starts open; the engine closes it when its workflow ends, unless
# a step gave it another ending status (withdrawn, referred...).
OPEN, CLOSED = "open", "closed"
# In `opened_by`: anyone signed in may open the case, with or without a system
# role (a duty the policy gives everyone, such as reporting something).
EVERYONE = "everyone"


@dataclass(frozen=True)
class CaseRole:
    """A party role on a case, and the lane of that name in the diagram.

    A lane's step goes to the person named in that role; while nobody is,
    to the pool of everyone holding the system role `pool`. A role with no
    pool must be named before its first step, or the step is an error.
    """

    pool: str | None = None
    # A person type who stand in when everyone in `pool` is kept out of the
    # case (the Chair is the trustee concerned: another trustee not involved
    # acts as Chair). None: such a step goes to HR (`pools.route`).
    stand_in: str | None = None
    # False for a complainant or a witness: being named gives no view of the
    # case, and no staff role lets them act on it ("HR for HR").
    sees_case: bool = True
    # A reporter is told that the case was opened and when it closed, nothing
    # more (`running._tell_parties_told_only`): never its steps or outcome.
    told_opened_and_closed: bool = False


@dataclass(frozen=True)
class Status:
    label: str
    colour: str = "secondary"  # a Bootstrap contextual colour for the badge


BASE_STATUSES = {OPEN: Status("Open", "primary"), CLOSED: Status("Closed", "success")}
# What a case's subject is shown instead of HR's statuses and step names,
# until their procedure says it in its own words (`Procedure.told_to_subject`).
PLAIN_STATUSES = {OPEN: "HR is looking into this", CLOSED: "This case has ended"}


@dataclass(frozen=True)
class Derived:
    """What a step's check works out from its data: more data for the
    workflow (and the audit trail), and people to name on the case."""

    data: Mapping[str, Any] = field(default_factory=dict)
    parties: Mapping[str, User] = field(default_factory=dict)


StepCheck = Callable[["Context", "Case", "User", dict], Derived]


@dataclass(frozen=True)
class KeptOff:
    """Who a step is not for, by their part in the case (fairness: nobody
    judges their own request or investigation). `parts` maps a party role to
    that part in words ("asked for this request"); `override` names the
    step's field for the reason that lets them take it anyway (None: never)."""

    parts: Mapping[str, str]
    override: str | None = None


FollowUp = Callable[["Context", "Case", "User", dict], None]


@dataclass(frozen=True)
class Step:
    """What a user task's `form` property names.

    `contract` is the typed data the step takes (a marshmallow schema), checked
    by the operation that completes it, so a web form and an API share one
    check. `check` runs before the engine and may refuse (InvalidInput) or
    derive (`derives` lists the data names it adds); `follow_up` runs after.
    """

    contract: type[Schema]
    check: StepCheck | None = None
    derives: tuple[str, ...] = ()
    follow_up: FollowUp | None = None
    kept_off: KeptOff | None = None  # see `workflows.engine.conflicts`

    def produces(self) -> set[str]:
        schema = self.contract()
        return set(schema.fields) | set(getattr(schema, "derived", ())) | set(self.derives)


@dataclass(frozen=True)
class Recording:
    """Something that happens to a person during a case, at any step (a
    grievance, a resignation...): recorded by someone holding one of
    `recorded_by` (system roles), it is delivered to the diagram as the BPMN
    signal of the same name, which a waiting catch event takes. `contract`
    is the data recorded (checked like a step's); `check` may refuse it or
    derive more, as a step's check does."""

    label: str  # in users' words: "a grievance"
    contract: type[Schema]
    recorded_by: tuple[str, ...]
    check: StepCheck | None = None
    derives: tuple[str, ...] = ()

    def produces(self) -> set[str]:
        return set(self.contract().fields) | set(self.derives)


@dataclass(frozen=True)
class Measure:
    """A count the dashboard shows of a procedure's cases, in HR's words
    ("Removed within the deadline"). `cases()` is a SELECT of the ids of the
    procedure's own cases it counts, each once (its own step names pick them
    out, say); the case list narrows to the same ids (`measure=<kind>:<name>`),
    so a count and the list it links to agree. Written over indexed rows
    (the case, its task projection), never the workflow's stored state: a
    count straight off an index of task rows never reads a case at all.

    `meets` asks the same of one case (its status and its steps' forms), by
    which the dashboard's tallies count each changed case
    (workflows/engine/tallies); tests check the two agree on every path."""

    name: str
    label: str
    cases: Callable[[], Any]  # -> a SQLAlchemy Select of case ids
    meets: Callable[[Progress], bool]


@dataclass(frozen=True)
class Progress:
    """One case as a measure sees it: how it stands, and every step it has
    had, as (form name, state)."""

    status: str
    closed: bool
    steps: tuple[tuple[str, str], ...]

    def had(self, form: str, *states: str) -> int:
        """How many steps of this form it has had (in `states`, if named)."""
        return sum(1 for name, state in self.steps if name == form and (not states or state in states))


NoticeContext = Callable[["Case", "User", dict], dict]
LetterContext = Callable[["Session", "Case", str, dict], dict]


@dataclass(frozen=True)
class Procedure:
    kind: str  # the diagram's process id, stored on every case of this kind
    prefix: str  # of case references: TD-2026-0007
    label: str
    diagram: Path
    package: Path  # holds notices/ and letters/ (plain-text Jinja templates)
    opened_by: tuple[str, ...]  # system roles that may open a case, or (EVERYONE,)
    roles: Mapping[str, CaseRole]
    steps: Mapping[str, Step]
    start_data: tuple[str, ...]  # the data the opening operation gives the workflow
    statuses: Mapping[str, Status] = field(default_factory=dict)
    notice_context: NoticeContext | None = None  # extra names for this procedure's notices
    letter_context: LetterContext | None = None  # and for its letters (given the session, case, letter kind, data)
    # A data name recorded with every status change (why a case was escalated).
    status_reason: str | None = None
    # The policy clauses this procedure acts on, and how, in HR's words
    # (the policy page, and the test that no clause has nothing behind it).
    acts_on: Mapping[str, str] = field(default_factory=dict)
    # Signal name -> what may be recorded during a case (`events.record`).
    recordings: Mapping[str, Recording] = field(default_factory=dict)
    # A diagram that runs side branches beside its main line says which data
    # is the case's now (pages and checks read it); otherwise the last step's.
    current_data: Callable[[Case], dict] | None = None
    # Years a closed case is kept before it is anonymised; None: the
    # organisation's default (`Settings.retention_years`, engine/retention.py).
    retention_years: int | None = None
    # Status -> the plain words its subject sees ("HR is looking into a report"):
    # never HR's internal step names, which they may not have been told of.
    told_to_subject: Mapping[str, str] = field(default_factory=dict)
    # How many days a case should take from opening to its end: the dashboard
    # sets each procedure's median against it (None: no target declared).
    target_days: float | None = None
    # Counts the dashboard shows for this procedure under `measures_title`.
    measures: tuple[Measure, ...] = ()
    measures_title: str = ""
    # A deadline the law sets on every case (a subject access request's
    # month): the dashboard lists the open cases by it, under this title.
    deadline_title: str = ""

    def __post_init__(self):
        object.__setattr__(self, "statuses", {**BASE_STATUSES, **self.statuses})

    @property
    def notices(self) -> Path:
        return self.package / "notices"

    @property
    def letters(self) -> Path:
        return self.package / "letters"

    def plain_status(self, status: str, ended: bool) -> str:
        """What the subject is told of a case in `status` (a status with no
        words of its own says the case is being looked into, or has ended)."""
        fallback = self.told_to_subject.get(CLOSED if ended else OPEN, PLAIN_STATUSES[CLOSED if ended else OPEN])
        return self.told_to_subject.get(status, fallback)

    def role(self, name: str) -> CaseRole:
        if name not in self.roles:
            raise ProcedureError(
                f"{self.diagram.name}: '{name}' is not a case role of {self.kind} (its roles: {', '.join(self.roles)})"
            )
        return self.roles[name]

    def recording(self, signal: str) -> Recording:
        if signal not in self.recordings:
            raise ProcedureError(f"{self.kind}: nothing called '{signal}' may be recorded on its cases")
        return self.recordings[signal]

    def step(self, form: str) -> Step:
        if form not in self.steps:
            raise ProcedureError(f"{self.diagram.name}: no step '{form}' is registered for {self.kind}")
        return self.steps[form]


_registered: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    known = _registered.get(procedure.kind)
    if known is not None and known is not procedure:
        raise ProcedureError(f"Two procedures are registered as {procedure.kind!r}.")
    if any(p.prefix == procedure.prefix and p.kind != procedure.kind for p in _registered.values()):
        raise ProcedureError(f"The reference prefix {procedure.prefix!r} is already taken.")
    for other in _registered.values():
        for name, role in procedure.roles.items():
            if name in other.roles and other.roles[name].sees_case != role.sees_case and other is not procedure:
                # Need to know asks the database by role name, across procedures.
                raise ProcedureError(
                    f"{procedure.kind}: the role {name!r} sees its case in {other.kind} and "
                    "not here (or the reverse); give it another name."
                )
    _registered[procedure.kind] = procedure
    return procedure


def measure(key: str) -> Measure | None:
    """The measure named "<kind>:<name>", if a procedure declares it."""
    kind, _sep, name = key.partition(":")
    procedure = _registered.get(kind)
    return next((m for m in procedure.measures if m.name == name), None) if procedure else None


def measure_keys() -> list[str]:
    return [f"{p.kind}:{m.name}" for p in _registered.values() for m in p.measures]


def acting_on(clause_id: str) -> list[tuple[str, str]]:
    """(procedure label, how) for each procedure that acts on the clause."""
    return [(p.label, p.acts_on[clause_id]) for p in procedures() if clause_id in p.acts_on]


def unregister(kind: str) -> None:
    """For tests that register a scratch procedure."""
    _registered.pop(kind, None)


def get(kind: str) -> Procedure:
    try:
        return _registered[kind]
    except KeyError:
        raise ProcedureError(f"No procedure is registered for cases of kind {kind!r}.") from None


def find(kind: str) -> Procedure | None:
    return _registered.get(kind)


def procedures() -> list[Procedure]:
    return list(_registered.values())


def no_view_roles() -> frozenset[str]:
    """Party roles that give no view of a case, across every procedure (the
    case list asks the database by role name)."""
    return frozenset(name for p in _registered.values() for name, role in p.roles.items() if not role.sees_case)


def all_statuses() -> dict[str, Status]:
    found = dict(BASE_STATUSES)
    for procedure in _registered.values():
        found.update(procedure.statuses)
    return found
