"""The audit trail's hash chains: verify passes, and names what was tampered with."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Text, cast, delete, select, text, update
from sqlalchemy.orm import Session

from models import AuditChain, AuditEvent, make_engine
from tests.factories import make_manager, make_takedown, make_user
from tests.workflows.helpers import past_the_triggers
from workflows.engine import audit, audit_format


def tamper(db, statement) -> None:
    """Edit the tables as a database administrator would, past the triggers."""
    with past_the_triggers(db):
        db.execute(statement)


def second_event(db, case):
    return db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.seq == 2))


def test_an_untouched_trail_verifies(ctx, db):
    make_takedown(ctx, make_manager(db), make_user(db))
    checked, problems = audit.verify(db)
    assert checked == 5 and problems == []  # opened, two parties, the screenshot, notice queued


def test_an_edited_event_is_named(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    event = second_event(db, case)
    tamper(db, update(AuditEvent).where(AuditEvent.id == event.id).values(actor_label="Someone else"))
    db.expire_all()
    _, problems = audit.verify(db)
    assert [(p.case_id, p.seq, p.problem) for p in problems] == [(case.id, 2, "contents altered after it was written")]


def test_a_removed_event_is_named(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    tamper(db, delete(AuditEvent).where(AuditEvent.id == second_event(db, case).id))
    db.expire_all()
    _, problems = audit.verify(db)
    assert problems[0].case_id == case.id and problems[0].seq == 3
    assert "removed or reordered" in problems[0].problem


def test_removing_the_last_event_is_caught_by_the_chain_head(ctx, db):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    last = db.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq.desc()).limit(1))
    tamper(db, delete(AuditEvent).where(AuditEvent.id == last.id))
    db.expire_all()
    _, problems = audit.verify(db)
    assert len(problems) == 1 and "events were removed" in problems[0].problem


def test_postgresql_refuses_edits_to_the_trail(ctx, db):
    from sqlalchemy.exc import DBAPIError

    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    case = make_takedown(ctx, make_manager(db), make_user(db))
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.execute(update(AuditEvent).where(AuditEvent.case_id == case.id).values(actor_label="x"))


def test_flask_audit_verify_exits_non_zero_naming_the_event(ctx, db, app):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "every chain intact" in ok.output
    event = second_event(db, case)
    tamper(db, update(AuditEvent).where(AuditEvent.id == event.id).values(data={"forged": True}))
    failed = runner.invoke(args=["audit", "verify"])
    assert failed.exit_code == 1
    assert f"case {case.id} event #2 (id {event.id}): contents altered" in failed.output


# --- the hash format: Python and PostgreSQL compute the same bytes ------------------

AWKWARD = [
    'quote " here',
    "back\\slash \\\\ \\u0041 \\n",
    "new\nline\r\ttab",
    "\x01\x07\x08\x0c\x1b\x1f\x7f",
    "Zoë Ångström",
    "emoji 😀 🏳️‍🌈",
    "\u2028\u2029\ufeff\u00a0",
    "</script>",
    "'single'",
    "",
    "ŉǅß€",
]


def record_awkward(db) -> int:
    """One system event per awkward string, in every hashed text column."""
    for text_ in AWKWARD:
        audit.record(
            db,
            None,
            "awkward_recorded",
            audit.Actor(text_ or "system"),
            data={
                text_: [text_, {"k": text_}],
                "nul": "a\x00b",
                "é": None,
                "numbers": [0, -1, 1.5, -0.0, 1e-07, 10**20, True, False],
            },
            bpmn_task=text_ or None,
        )
    db.flush()
    return len(AWKWARD)


def both_verifiers(db) -> tuple[int, list]:
    """verify(); on PostgreSQL also the Python walk, which must agree with SQL."""
    found = audit.verify(db)
    if db.get_bind().dialect.name == "postgresql":
        assert audit.verify_in_python(db) == found
    return found


def test_awkward_text_verifies_and_reads_back(db):
    count = record_awkward(db)
    assert both_verifiers(db) == (count, [])
    db.expire_all()
    stored = db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.actor_label for e in stored] == [t or "system" for t in AWKWARD]
    assert stored[1].data[AWKWARD[1]] == [AWKWARD[1], {"k": AWKWARD[1]}]


def test_the_stored_data_is_the_canonical_text_that_was_hashed(db):
    audit.record(db, None, "awkward_recorded", audit.SYSTEM, data={"b": "Zoë", "a": [1, "x\ny"]})
    db.flush()
    event = db.scalar(select(AuditEvent))
    stored = db.scalar(select(cast(AuditEvent.data, Text)))
    assert stored == '{"a":[1,"x\\ny"],"b":"Zoë"}'
    # The content (who, and the data) is hashed apart, and the hash covers its digest.
    content = f'["system", {stored}]'
    assert event.content_digest == hashlib.sha256(content.encode("utf-8")).hexdigest()
    fields = audit_format.hashed_fields(
        event.chain, 1, None, event.occurred_at, None, "awkward_recorded", None, event.content_digest
    )
    hashed = audit_format.hashed_text("", fields)
    micros = audit_format.epoch_micros(event.occurred_at)
    assert json.loads(hashed) == ["system", 1, None, micros, None, "awkward_recorded", None, event.content_digest]
    assert event.hash == hashlib.sha256(hashed.encode("utf-8")).hexdigest()


def test_postgresql_prints_every_character_as_python_does(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's json_build_array is what Python reproduces")
    every = "".join(chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF)  # no NUL in text
    fields = (every, 7, None, -1, 3, "x", None, every[:64])
    printed = db.scalar(
        text(
            "SELECT :prev || json_build_array(CAST(:s AS text), 7, CAST(NULL AS integer), CAST(-1 AS bigint),"
            " 3, 'x'::text, CAST(NULL AS varchar), CAST(:digest AS varchar))::text"
        ),
        {"prev": "f" * 64, "s": every, "digest": every[:64]},
    )
    assert printed == audit_format.hashed_text("f" * 64, fields)
    data = '{"a":[1,"\\u0000"]}'
    content = db.scalar(
        text("SELECT json_build_array(CAST(:label AS varchar), CAST(:data AS json))::text"),
        {"label": every[:200], "data": data},
    )
    assert content == audit_format.content_text(every[:200], data)


# --- tampering, named the same way by both verifiers ------------------------------------


def _events(db, case) -> dict[int, AuditEvent]:
    return {e.seq: e for e in db.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id))}


def _set(seq: int, **values):
    def edit(db, case, events):
        return [update(AuditEvent).where(AuditEvent.id == events[seq].id).values(**values)]

    return edit


def _shift_time(db, case, events):
    moved = events[2].occurred_at + timedelta(microseconds=1)
    return [update(AuditEvent).where(AuditEvent.id == events[2].id).values(occurred_at=moved)]


def _delete(*seqs):
    def edit(db, case, events):
        return [delete(AuditEvent).where(AuditEvent.id.in_([events[s].id for s in seqs]))]

    return edit


def _rehash_forgery(db, case, events):
    """Forge event 2 and give it a correct hash: event 3 no longer links to it."""
    e = events[2]
    digest = audit_format.content_digest(e.actor_label, '{"forged":true}')
    fields = audit_format.hashed_fields(
        e.chain, e.seq, e.case_id, e.occurred_at, e.actor_id, e.action, e.bpmn_task, digest
    )
    return [
        update(AuditEvent)
        .where(AuditEvent.id == e.id)
        .values(data={"forged": True}, content_digest=digest, hash=audit_format.event_hash(e.prev_hash, fields))
    ]


def _swap(db, case, events):
    a, b = events[2].id, events[3].id
    return [
        update(AuditEvent).where(AuditEvent.id == a).values(seq=-2),
        update(AuditEvent).where(AuditEvent.id == b).values(seq=2),
        update(AuditEvent).where(AuditEvent.id == a).values(seq=3),
    ]


def _drop_head(db, case, events):
    return [delete(AuditChain).where(AuditChain.id == audit.chain_id(case.id))]


ALTERED = "contents altered after it was written"
UNLINKED = "does not link to the event before it"
TAMPERING = {  # edit -> [(seq, id of the event at that seq before the edit, problem)]
    "data": (_set(2, data={"forged": True}), [(2, 2, ALTERED)]),
    "actor_label": (_set(2, actor_label="Someone else"), [(2, 2, ALTERED)]),
    "occurred_at by 1 µs": (_shift_time, [(2, 2, ALTERED)]),
    "bpmn_task": (_set(2, bpmn_task="Task_forged"), [(2, 2, ALTERED)]),
    "prev_hash": (_set(2, prev_hash="0" * 64), [(2, 2, UNLINKED)]),
    "forged and re-hashed": (_rehash_forgery, [(3, 3, UNLINKED)]),
    "middle event deleted": (_delete(2), [(3, 3, "expected event #2, found #3: events removed or reordered")]),
    "two deleted": (_delete(2, 3), [(4, 4, "expected event #2, found #4: events removed or reordered")]),
    "two swapped": (_swap, [(2, 3, UNLINKED), (3, 2, UNLINKED), (4, 4, UNLINKED)]),
    "last event deleted": (_delete(5), [(5, None, "chain ends at #4 but its head records #5: events were removed")]),
    "every event deleted": (
        _delete(1, 2, 3, 4, 5),
        [(1, None, "chain ends at #0 but its head records #5: events were removed")],
    ),
    "chain head deleted": (_drop_head, [(None, None, "chain has no head")]),
}


@pytest.mark.parametrize("edit, expected", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampering_is_named(ctx, db, edit, expected):
    case = make_takedown(ctx, make_manager(db), make_user(db))
    events = _events(db, case)
    assert sorted(events) == [1, 2, 3, 4, 5] and both_verifiers(db) == (5, [])
    for statement in edit(db, case, events):
        tamper(db, statement)
    db.expire_all()
    _checked, problems = both_verifiers(db)
    assert [(p.case_id, p.seq, p.event_id, p.problem) for p in problems] == [
        (case.id, seq, events[was].id if was else None, problem) for seq, was, problem in expected
    ]


def test_only_the_tampered_case_is_named(ctx, db):
    manager = make_manager(db)
    cases = [make_takedown(ctx, manager, make_user(db)) for _ in range(3)]
    record_awkward(db)
    tamper(db, update(AuditEvent).where(AuditEvent.case_id == cases[1].id, AuditEvent.seq == 3).values(actor_label="x"))
    db.expire_all()
    checked, problems = both_verifiers(db)
    assert checked == 15 + len(AWKWARD)
    assert [(p.case_id, p.seq, p.problem) for p in problems] == [(cases[1].id, 3, ALTERED)]


def test_an_emptied_chain_is_named_beside_a_headless_one(ctx, db):
    """A chain without its head must not hide another chain without its events."""
    manager = make_manager(db)
    emptied, headless = (make_takedown(ctx, manager, make_user(db)) for _ in range(2))
    tamper(db, delete(AuditEvent).where(AuditEvent.case_id == emptied.id))
    tamper(db, delete(AuditChain).where(AuditChain.id == audit.chain_id(headless.id)))
    db.expire_all()
    checked, problems = both_verifiers(db)
    assert checked == 5 and sorted((p.case_id, p.problem) for p in problems) == sorted(
        [
            (emptied.id, "chain ends at #0 but its head records #5: events were removed"),
            (headless.id, "chain has no head"),
        ]
    )


# --- migration 0004: re-hashing a trail written in the old format -------------------------

ROOT = Path(__file__).resolve().parents[3]
# What workflows/audit.py gave for OLD_EVENTS[0] before revision 0004 (commit 59daea4).
OLD_FORMAT_HASH = "b55e1043bd4bd050d2735c1842ac4aaf85351b5dea4250405ea614dc795da313"
OLD_EVENTS = [
    dict(
        seq=1,
        occurred_at=datetime(2026, 3, 2, 9, 0, 0, 123456),
        actor_label="system",
        action="demo_loaded",
        bpmn_task=None,
        data={"b": "Zoë", "a": [1, "x\ny"]},
    ),
    dict(
        seq=2,
        occurred_at=datetime(2026, 3, 2, 9, 0, 1),
        actor_label="timer",
        action="timer_fired",
        bpmn_task="Task_1",
        data={},
    ),
]


def _upgrade(engine, revision: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _trail_at_0003(tmp_path, forge: bool):
    """A SQLite database at 0003 holding a system chain hashed the old way."""
    spec = importlib.util.spec_from_file_location(
        "migration_0004", ROOT / "migrations/versions/0004_audit_hash_sql_verifiable.py"
    )
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    _upgrade(engine, "0003")
    rows, prev = [], ""
    for event in OLD_EVENTS:
        row = dict(event, chain="system", case_id=None, actor_id=None, prev_hash=prev)
        row["hash"] = prev = migration._hash_0001(prev, SimpleNamespace(**row))
        rows.append(dict(row, data=json.dumps(row["data"]), occurred_at=str(row["occurred_at"])))
    assert rows[0]["hash"] == OLD_FORMAT_HASH
    if forge:
        rows[1]["actor_label"] = "someone else"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_chains (id, seq, head) VALUES ('system', 2, :h)"), {"h": prev})
        conn.execute(
            text(
                "INSERT INTO audit_events (chain, seq, case_id, occurred_at, actor_id, actor_label, action,"
                " bpmn_task, data, prev_hash, hash) VALUES (:chain, :seq, :case_id, :occurred_at, :actor_id,"
                " :actor_label, :action, :bpmn_task, :data, :prev_hash, :hash)"
            ),
            rows,
        )
    return engine


def test_migration_0004_rehashes_a_trail_that_verified(tmp_path):
    engine = _trail_at_0003(tmp_path, forge=False)
    _upgrade(engine, "head")
    with Session(engine) as db:
        assert audit.verify(db) == (2, [])
        assert db.scalars(select(cast(AuditEvent.data, Text)).order_by(AuditEvent.seq)).all() == [
            '{"a":[1,"x\\ny"],"b":"Zoë"}',
            "{}",
        ]
    engine.dispose()


def test_migration_0004_refuses_to_launder_a_tampered_trail(tmp_path):
    engine = _trail_at_0003(tmp_path, forge=True)
    with pytest.raises(RuntimeError, match=r"event #2 .* refusing to re-hash a tampered trail"):
        _upgrade(engine, "head")
    engine.dispose()


def test_numbers_json_cannot_spell_are_kept_as_words_and_the_trail_verifies(db):
    audit.record(db, None, "figures_checked", audit.SYSTEM, {"ratio": float("nan"), "max": float("inf")})
    db.flush()
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "figures_checked")).one()
    assert event.data == {"ratio": "NaN", "max": "Infinity"}
    assert audit.verify(db)[1] == []
