"""Anchors: the audit trail checked against signed chain heads kept outside
the database. Each forgery here is one the hash chains alone accept."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Text, cast, delete, insert, select, text, update

from models import AuditChain, AuditEvent, OutboxMessage
from tests.factories import make_hr, make_manager, make_takedown, make_user
from tests.workflows.helpers import past_the_triggers
from workflows.engine import anchorlog, anchors, audit, audit_format, clock
from workflows.engine.outbox import MailSettings, send_pending


@pytest.fixture
def case(ctx, db):
    return make_takedown(ctx, make_manager(db), make_user(db))


def anchored(ctx) -> anchorlog.Anchor:
    written = anchors.write(ctx)
    assert written.withheld == []
    return written.anchor


def chain_rows(db, chain: str | None = None) -> list[dict]:
    """Events as an attacker reads them: every column, `data` as its stored text."""
    e = AuditEvent.__table__
    stmt = select(e, cast(e.c.data, Text).label("text")).order_by(e.c.chain, e.c.seq)
    if chain:
        stmt = stmt.where(e.c.chain == chain)
    return [dict(row._mapping) for row in db.execute(stmt)]


def rehash(rows: list[dict]) -> None:
    """Give one chain's rows consistent hashes, with the app's own functions."""
    prev = ""
    for row in rows:
        row["content_digest"] = audit_format.content_digest(row["actor_label"], row["text"])
        fields = [row[f] for f in ("chain", "seq", "case_id", "occurred_at", "actor_id", "action", "bpmn_task")]
        row["prev_hash"] = prev
        row["hash"] = prev = audit_format.event_hash(prev, audit_format.hashed_fields(*fields, row["content_digest"]))


def store(db, rows: list[dict]) -> None:
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("id", "text")}
        db.execute(update(AuditEvent).where(AuditEvent.id == row["id"]).values(**values))
    last = rows[-1]
    db.execute(update(AuditChain).where(AuditChain.id == last["chain"]).values(seq=last["seq"], head=last["hash"]))


# --- the three forgeries of the issue ------------------------------------------------------


def rewrite_and_rehash(db, case) -> int:
    """Change event 2, recompute every later hash and the head."""
    rows = chain_rows(db, audit.chain_id(case.id))
    rows[1]["actor_label"] = "Someone else"
    rehash(rows)
    with past_the_triggers(db):
        store(db, rows)
    return len(rows)


def drop_last_and_move_head(db, case) -> int:
    rows = chain_rows(db, audit.chain_id(case.id))
    with past_the_triggers(db):
        db.execute(delete(AuditEvent).where(AuditEvent.id == rows[-1]["id"]))
        store(db, rows[:-1])
    return len(rows)


def truncate_and_reinsert(db, case) -> int:
    """Empty both tables and put back a trail with the case's event 2 forged."""
    rows = chain_rows(db)
    with past_the_triggers(db):
        if db.get_bind().dialect.name == "postgresql":
            db.execute(text("TRUNCATE audit_events, audit_chains"))
        else:
            db.execute(text("DELETE FROM audit_events"))
            db.execute(text("DELETE FROM audit_chains"))
        chains: dict[str, list[dict]] = {}
        for row in rows:
            chains.setdefault(row["chain"], []).append(row)
        chains[audit.chain_id(case.id)][1]["actor_label"] = "Someone else"
        for chain, events in chains.items():
            rehash(events)
            db.execute(insert(AuditEvent), [{k: v for k, v in e.items() if k != "text"} for e in events])
            db.execute(insert(AuditChain).values(id=chain, seq=events[-1]["seq"], head=events[-1]["hash"]))
    return len(chains[audit.chain_id(case.id)])


REWRITTEN = "was rewritten after it was anchored"
FORGERIES = {
    "event changed and hashes recomputed": (rewrite_and_rehash, REWRITTEN),
    "last event dropped and head moved": (drop_last_and_move_head, "which is gone (the chain now ends at #4)"),
    "truncated and re-inserted": (truncate_and_reinsert, REWRITTEN),
}


@pytest.mark.parametrize("forge, named", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_trail_that_its_chains_accept_contradicts_the_anchor(ctx, db, case, forge, named):
    anchor = anchored(ctx)
    last_id = chain_rows(db, audit.chain_id(case.id))[-1]["id"]
    last_seq = forge(db, case)
    db.expire_all()
    assert audit.verify(db)[1] == []  # the chains alone are fooled: the fault
    result = anchors.verify(db, ctx.settings)
    assert [(p.case_id, p.seq, p.anchor.number) for p in result.problems] == [(case.id, last_seq, 1)]
    problem = result.problems[0]
    assert named in problem.problem and f"anchor #1 ({anchor.at})" in str(problem)
    assert problem.event_id == (None if forge is drop_last_and_move_head else last_id)


def test_a_later_anchor_does_not_bless_a_forgery(ctx, db, case):
    anchored(ctx)
    rewrite_and_rehash(db, case)
    audit.record(db, None, "login_succeeded", audit.SYSTEM)  # something else moves too
    db.expire_all()
    written = anchors.write(ctx)
    assert [p.case_id for p in written.withheld] == [case.id]
    assert audit.chain_id(case.id) not in written.anchor.chains and "system" in written.anchor.chains
    problems = anchors.verify(db, ctx.settings).problems
    assert [(p.case_id, p.anchor.number) for p in problems] == [(case.id, 1)]


def test_the_worker_writes_no_anchor_when_only_a_forged_chain_moved(ctx, db, case, caplog):
    anchors.write_if_due(ctx)
    rewrite_and_rehash(db, case)
    clock.advance(timedelta(minutes=ctx.settings.anchor_every_minutes))
    assert anchors.write_if_due(ctx) is None
    assert len(ctx.settings.anchor_log.read_text().splitlines()) == 1
    assert f"audit chain not re-anchored: case {case.id} event #5" in caplog.text


# --- an honest trail --------------------------------------------------------------------------


def test_a_trail_with_no_anchors_verifies_as_before_with_a_note(ctx, db, case):
    result = anchors.verify(db, ctx.settings)
    assert (result.checked, result.problems, result.anchors) == (5, [], 0)
    assert result.note.startswith("Nothing is anchored yet")


def test_an_anchored_trail_verifies_as_it_grows(ctx, db, case):
    first = anchored(ctx)
    assert first.chains == {audit.chain_id(case.id): [5, db.get(AuditChain, audit.chain_id(case.id)).head]}
    audit.record(db, case.id, "case_viewed", audit.SYSTEM)
    other = make_takedown(ctx, make_manager(db), make_user(db))
    db.flush()
    assert anchors.verify(db, ctx.settings).problems == []  # heads past the anchor are fine
    second = anchored(ctx)
    assert sorted(second.chains) == sorted(audit.chain_id(c.id) for c in (case, other))
    assert (second.number, second.prev) == (2, first.digest)
    result = anchors.verify(db, ctx.settings)
    assert (result.problems, result.anchors) == ([], 2) and second.digest in result.note


def test_the_key_is_created_private_and_anchors_are_one_signed_line_each(ctx, case):
    anchored(ctx)
    anchored(ctx)
    assert stat.S_IMODE(os.stat(ctx.settings.anchor_key).st_mode) == 0o600
    lines = ctx.settings.anchor_log.read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert (first["prev"], second["prev"]) == ("", anchorlog.line_digest(lines[0]))
    assert second["chains"] == {}  # nothing moved between them
    assert first["key"] == anchorlog.key_hex(anchorlog.public_key(ctx.settings.anchor_key))


# --- the anchor log itself -----------------------------------------------------------------------


def three_anchors(ctx, db) -> list[str]:
    for _ in range(3):
        make_takedown(ctx, make_manager(db), make_user(db))
        anchored(ctx)
    return ctx.settings.anchor_log.read_text().splitlines()


def rewrite_log(ctx, lines: list[str], ending: str = "\n") -> None:
    ctx.settings.anchor_log.write_text("\n".join(lines) + ending)


def log_problems(ctx, db) -> list[tuple]:
    return [(p.line, p.number, p.problem) for p in anchors.verify(db, ctx.settings).problems]


def test_an_edited_anchor_line_is_named(ctx, db):
    lines = three_anchors(ctx, db)
    edited = json.loads(lines[1])
    chain = next(iter(edited["chains"]))
    edited["chains"][chain][1] = "0" * 64  # the head a forged trail would need
    rewrite_log(ctx, [lines[0], json.dumps(edited), lines[2]])
    assert log_problems(ctx, db) == [
        (2, 2, "its signature does not verify: the line was edited after it was signed"),
        (3, 3, "does not link to line 2: a line before it was edited or removed"),
    ]


def test_a_removed_anchor_line_is_named(ctx, db):
    lines = three_anchors(ctx, db)
    rewrite_log(ctx, [lines[0], lines[2]])
    assert log_problems(ctx, db) == [
        (2, 3, "anchor #3 follows #1: anchors were removed or reordered"),
        (2, 3, "does not link to line 1: a line before it was edited or removed"),
    ]


def test_a_line_cut_short_is_named(ctx, db):
    lines = three_anchors(ctx, db)
    rewrite_log(ctx, [*lines[:2], lines[2][:40]], ending="")
    assert log_problems(ctx, db) == [(3, None, "not a whole anchor: the line was cut short or edited")]
    with pytest.raises(anchors.AnchorError, match="does not verify, so no anchor is added"):
        anchors.write(ctx)


def test_anchors_signed_by_another_key_are_named_and_not_trusted(ctx, db, case):
    anchored(ctx)
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    ctx.settings.anchor_key.write_bytes(other)
    drop_last_and_move_head(db, case)  # not reported against an anchor nobody can trust
    db.expire_all()
    (problem,) = anchors.verify(db, ctx.settings).problems
    assert (problem.line, problem.number) == (1, 1) and problem.problem.startswith("signed by another key")


def test_a_removed_log_or_key_is_named(ctx, db, case):
    anchored(ctx)
    ctx.settings.anchor_log.unlink()
    assert [str(p) for p in anchors.verify(db, ctx.settings).problems] == [
        f"anchor log: {ctx.settings.anchor_log} is missing or empty, but anchors were signed: removed"
    ]
    anchored(ctx)
    ctx.settings.anchor_key.write_text("")
    assert "cannot be read" in str(anchors.verify(db, ctx.settings).problems[0])
    with pytest.raises(anchors.AnchorError, match="cannot be read"):
        anchors.write(ctx)
    ctx.settings.anchor_key.unlink()
    assert "is gone: no anchor can be checked" in str(anchors.verify(db, ctx.settings).problems[0])


# --- the worker and email ---------------------------------------------------------------------------


def test_the_worker_anchors_once_a_period_and_only_when_a_chain_moved(ctx, db, case):
    ctx.settings.anchor_every_minutes = 60
    assert anchors.write_if_due(ctx).anchor.number == 1
    audit.record(db, case.id, "case_viewed", audit.SYSTEM)
    clock.advance(timedelta(minutes=59))
    assert anchors.write_if_due(ctx) is None  # not yet due
    clock.advance(timedelta(minutes=1))
    assert anchors.write_if_due(ctx).anchor.number == 2
    clock.advance(timedelta(minutes=60))
    assert anchors.write_if_due(ctx) is None  # nothing moved
    assert len(ctx.settings.anchor_log.read_text().splitlines()) == 2


def test_each_anchor_is_emailed_and_sending_it_does_not_call_for_another(ctx, db):
    ctx.settings.anchor_email = "anchors@bcwhub.test"
    audit.record(db, None, "login_succeeded", audit.SYSTEM)
    first = anchors.write_if_due(ctx).anchor
    mail = db.scalars(select(OutboxMessage)).one()
    assert (mail.case_id, mail.to_email, mail.template) == (None, "anchors@bcwhub.test", anchors.ANCHOR_TEMPLATE)
    assert first.digest in mail.body and ctx.settings.anchor_log.read_text().splitlines()[0] in mail.body
    assert send_pending(db, MailSettings()) == 1  # and notification_sent goes on the system chain
    clock.advance(timedelta(minutes=60))
    assert anchors.write_if_due(ctx) is None
    audit.record(db, None, "login_succeeded", audit.SYSTEM)
    clock.advance(timedelta(minutes=60))
    assert set(anchors.write_if_due(ctx).anchor.chains) == {"system"}


# --- the command line and the page ---------------------------------------------------------------------


def test_flask_audit_verify_exits_1_naming_the_case_and_the_anchor(ctx, db, app, case):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["audit", "anchor"])
    assert made.exit_code == 0 and "Wrote anchor #1" in made.output
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "Checked against 1 anchor(s)" in ok.output
    rewrite_and_rehash(db, case)
    failed = runner.invoke(args=["audit", "verify"])
    assert failed.exit_code == 1
    assert f"FAIL case {case.id} event #5 (id " in failed.output and "anchor #1 (2026-03-02T09:00:00" in failed.output


def test_the_verify_page_names_the_anchor_a_forgery_contradicts(ctx, db, web, case):
    hr = make_hr(db)
    anchored(ctx)
    drop_last_and_move_head(db, case)
    web.login(hr)
    page = web.text("/audit/verify")
    assert f"case {case.id} event #5: anchor #1 (" in page and "events were removed after they were anchored" in page
