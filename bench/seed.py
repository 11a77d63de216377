"""Bulk data: real cases captured as templates, copied by Core insert()
executemany. Audit hashes of copies are dummies (verify is measured apart)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import JSON, func, insert, select, text
from sqlalchemy.orm import Session

from models import AuditChain, AuditEvent, Case, CaseParty, CaseTask, Role, User, UserRole
from models.base import CanonicalJSON, CompressedJSON, UTCDateTime, canonical_json
from workflows.engine import clock

from .common import log, password_hash
from .data import context, drive, open_takedown, trio

FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Nia",
    "Oscar",
    "Priya",
    "Rhys",
    "Sofia",
    "Tom",
    "Zara",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Fox",
    "Green",
    "Hall",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nash",
    "Owen",
    "Patel",
    "Price",
    "Quinn",
    "Reid",
    "Roberts",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Turner",
    "Walker",
    "Ward",
    "White",
    "Wood",
    "Young",
    "Bell",
    "Cole",
    "Dunn",
    "Ellis",
    "Ford",
    "Gray",
    "Hunt",
    "King",
    "Lane",
    "Mills",
    "Noble",
    "Page",
    "Rose",
    "Stone",
    "Wells",
    "West",
    "Wilde",
    "Wright",
    "Yates",
]
HISTORY = ("closed",) * 14 + ("withdrawn",) * 3 + ("no_action",) * 3  # 70/15/15 %
EVENTS_PER_CASE = 20
DUMMY_HASH = "0" * 64
NO_DATA: dict = {}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Template:
    """A real case, with people replaced by their part (requester/subject/hr)."""

    case: dict
    parties: list[tuple[str, str]]
    tasks: list[dict]
    events: list[dict]


def capture(db: Session, case: Case, people: dict[str, User]) -> Template:
    who = {u.id: part for part, u in people.items()}
    row = {
        c: getattr(case, c)
        for c in ("status", "current_step", "clauses", "spec_hash", "state", "next_timer_at", "closed_at", "kind")
    }
    tasks = [
        {
            "bpmn_id": t.bpmn_id,
            "title": t.title,
            "lane": t.lane,
            "assignee": who.get(t.assignee_id),
            "pool_role": t.pool_role,
            "form_name": t.form_name,
            "state": t.state,
            "completed_by": who.get(t.completed_by_id),
            "due_at": t.due_at,
            "original_id": t.spiff_task_id,
        }
        for t in db.scalars(select(CaseTask).where(CaseTask.case_id == case.id).order_by(CaseTask.id))
    ]
    events = [
        {
            "action": e.action,
            "actor": who.get(e.actor_id),
            "actor_label": e.actor_label,
            "bpmn_task": e.bpmn_task,
            "data": e.data,
        }
        for e in db.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq))
    ]
    return Template(row, [(p.role, who[p.user_id]) for p in case.parties], tasks, events)


def make_templates(engine, workdir: str, paths: tuple[str, ...]) -> dict[str, Template]:
    found = {}
    with Session(engine, expire_on_commit=False) as db:
        people = trio(db, "template")
        db.commit()
        ctx = context(db, workdir)
        for path in paths:
            case = drive(ctx, open_takedown(ctx, people["requester"], people["subject"]), path, people)
            found[path] = capture(db, case, people)
    return found


# --- people ---------------------------------------------------------------------


def add_people(engine, count: int, role: str | None, tag: str) -> list[tuple[int, str]]:
    """`count` people with names from FIRST x LAST; returns (id, name)."""
    if count <= 0:
        return []
    with engine.begin() as conn:
        first_id = (conn.scalar(select(func.max(User.id))) or 0) + 1
        people, roles, now = [], [], clock.now()
        for n in range(count):
            uid = first_id + n
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST) + n) % len(LAST)]}"
            people.append(
                {
                    "id": uid,
                    "email": f"{tag}.{uid}@bcwhub.test",
                    "name": name,
                    "password_hash": password_hash(),
                    "person_type": "employee",
                    "job_title": "",
                    "active": True,
                    "created_at": now,
                }
            )
            if role:
                roles.append({"user_id": uid, "role": role})
        conn.execute(insert(User.__table__), people)
        if roles:
            conn.execute(insert(UserRole.__table__), roles)
        fix_sequences(conn, "users")
    return [(p["id"], p["name"]) for p in people]


def fix_sequences(conn, *tables: str) -> None:
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            )


# --- history: closed cases copied from templates ------------------------------


@dataclass
class Cast:
    """Who plays requester / subject / HR on copied cases."""

    managers: list[tuple[int, str]]
    subjects: list[tuple[int, str]]
    hr: list[tuple[int, str]]

    def for_case(self, n: int) -> dict[str, tuple[int, str]]:
        return {
            "requester": self.managers[n % len(self.managers)],
            "subject": self.subjects[(n * 7919) % len(self.subjects)],
            "hr": self.hr[n % len(self.hr)],
        }


def add_history(engine, templates: dict[str, Template], count: int, cast: Cast, batch: int = 2000) -> None:
    """`count` finished cases (70% closed, 15% withdrawn, 15% no further action)."""

    def template(case_id: int) -> Template:
        return templates[HISTORY[case_id % len(HISTORY)]]

    _insert_copies(engine, count, batch, template, cast, progress=count >= 20 * batch)


def _insert_copies(engine, count: int, batch: int, template, cast: Cast, progress: bool = False) -> None:
    """Bulk-insert `count` cases in batches; `template(case_id)` gives each one's rows."""
    done = 0
    while done < count:
        size = min(batch, count - done)
        with engine.begin() as conn:
            first_id = (conn.scalar(select(func.max(Case.id))) or 0) + 1
            rows = _Rows()
            for case_id in range(first_id, first_id + size):
                rows.add(case_id, template(case_id), cast.for_case(case_id))
            rows.insert(conn)
            fix_sequences(conn, "cases")
        done += size
        if progress and done % (10 * batch) == 0:
            log(f"    {done:,} of {count:,} cases copied")


class _Rows:
    def __init__(self):
        self.cases, self.parties, self.tasks, self.events, self.chains = [], [], [], [], []
        self.now = clock.now()

    def add(self, case_id: int, tpl: Template, people: dict[str, tuple[int, str]]) -> None:
        opened = self.now - timedelta(days=3, minutes=case_id)
        subject_id, subject_name = people["subject"]
        self.cases.append(
            {
                **tpl.case,
                "id": case_id,
                "reference": f"TD-{opened.year}-{case_id:06d}",
                "title": f"Facebook post by {subject_name}",
                "subject_id": subject_id,
                "opened_by_id": people["requester"][0],
                "version": 1,
                "opened_at": opened,
                "updated_at": opened + timedelta(days=2),
                "closed_at": opened + timedelta(days=2) if tpl.case["closed_at"] else None,
            }
        )
        self.parties += [
            {"case_id": case_id, "user_id": people[part][0], "role": role, "added_at": opened}
            for role, part in tpl.parties
        ]
        self.tasks += [
            {
                "case_id": case_id,
                "spiff_task_id": t.get("spiff_task_id") or str(uuid.uuid4()),
                "bpmn_id": t["bpmn_id"],
                "title": t["title"],
                "lane": t["lane"],
                "pool_role": t["pool_role"],
                "form_name": t["form_name"],
                "state": t["state"],
                "assignee_id": people[t["assignee"]][0] if t["assignee"] else None,
                "due_at": t["due_at"] if t["state"] == "ready" else None,
                "created_at": opened,
                "completed_at": None if t["state"] == "ready" else opened + timedelta(days=1),
                "completed_by_id": people[t["completed_by"]][0] if t["completed_by"] else None,
            }
            for t in tpl.tasks
        ]
        self._add_events(case_id, tpl, people, opened)

    def _add_events(self, case_id: int, tpl: Template, people, opened) -> None:
        events = list(tpl.events)
        viewers = ("requester", "hr")
        while len(events) < EVENTS_PER_CASE:
            viewer = viewers[len(events) % 2]
            events.append(
                {
                    "action": "case_viewed",
                    "actor": viewer,
                    "actor_label": people[viewer][1],
                    "bpmn_task": None,
                    "data": NO_DATA,
                }
            )
        chain = f"case-{case_id}"
        for seq, event in enumerate(events, 1):
            actor = people[event["actor"]] if event["actor"] else None
            self.events.append(
                {
                    "chain": chain,
                    "seq": seq,
                    "case_id": case_id,
                    "occurred_at": opened + timedelta(minutes=seq),
                    "actor_id": actor[0] if actor else None,
                    "actor_label": actor[1] if actor else event["actor_label"],
                    "action": event["action"],
                    "bpmn_task": event["bpmn_task"],
                    "data": event["data"],
                    "content_digest": DUMMY_HASH,
                    "prev_hash": DUMMY_HASH,
                    "hash": DUMMY_HASH,
                }
            )
        self.chains.append({"id": chain, "seq": len(events), "head": DUMMY_HASH})

    def insert(self, conn) -> None:
        for model, rows in (
            (Case, self.cases),
            (CaseParty, self.parties),
            (CaseTask, self.tasks),
            (AuditChain, self.chains),
            (AuditEvent, self.events),
        ):
            bulk_insert(conn, model.__table__, rows)


def bulk_insert(conn, table, rows: list[dict]) -> None:
    """Core insert() executemany; on PostgreSQL, COPY (the same rows, a few
    times faster, which keeps 100,000 cases inside the time budget)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    given = list(rows[0])
    defaults = [
        (c.name, c.default.arg)
        for c in table.columns
        if c.default is not None and c.default.is_scalar and c.name not in rows[0]
    ]
    convert = [_converter(table.columns[name].type) for name in given]
    extra = [value for _name, value in defaults]
    cursor = conn.connection.driver_connection.cursor()
    columns = ", ".join(given + [name for name, _value in defaults])
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([f(row[n]) if f else row[n] for f, n in zip(convert, given)] + extra)


def _converter(column_type):
    """How COPY's text format wants a value of this column type."""
    if isinstance(column_type, UTCDateTime):
        return _naive_utc
    if isinstance(column_type, (JSON, CanonicalJSON, CompressedJSON)):
        # A CanonicalJSON column stores its canonical text, a CompressedJSON
        # one its compressed bytes: each as the type would bind it.
        dump = {CanonicalJSON: canonical_json, CompressedJSON: lambda v: column_type.process_bind_param(v, None)}.get(
            type(column_type), json.dumps
        )
        memo: dict[int, tuple[object, str]] = {}

        def as_json(value):
            if value is None:
                return None
            hit = memo.get(id(value))
            if hit is None or hit[0] is not value:  # templates share objects: dump each once
                hit = memo[id(value)] = (value, dump(value))
            return hit[1]

        return as_json
    return None


def _naive_utc(value: datetime | None):
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


# --- copies of a live workflow (timers) -----------------------------------------


def clone_state(state: dict) -> tuple[dict, dict[str, str]]:
    """The same workflow state under fresh task ids (spiff ids are unique per row)."""
    blob = json.dumps(state)
    mapping: dict[str, str] = {}

    def fresh(match: re.Match) -> str:
        return mapping.setdefault(match.group(0), str(uuid.uuid4()))

    return json.loads(UUID_RE.sub(fresh, blob)), mapping


def add_live_copies(engine, tpl: Template, count: int, cast: Cast, batch: int = 1000) -> None:
    """`count` copies of a running case, task ids remapped so each can be
    restored and advanced by the engine exactly like the original."""

    def template(_case_id: int) -> Template:
        state, mapping = clone_state(tpl.case["state"])
        tasks = [{**t, "spiff_task_id": mapping[t["original_id"]]} for t in tpl.tasks]
        return Template({**tpl.case, "state": state}, tpl.parties, tasks, tpl.events)

    _insert_copies(engine, count, batch, template, cast)


def hr_people(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [
            (r.id, r.name)
            for r in conn.execute(select(User.id, User.name).join(UserRole).where(UserRole.role == Role.HR))
        ]
