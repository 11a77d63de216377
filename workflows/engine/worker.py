"""The worker (`flask worker`): fires due timers, sends queued email and
runs periodic upkeep, then sleeps until the next timer, or until an operation
stores an earlier one. A database that has gone away is waited for, with
back-off and a log line, never a reason to exit: a timer due meanwhile
fires when it is back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from . import anchors, clock, evidence, retention, tallies, webhooks
from .context import Context, Settings
from .outbox import MailSettings, send_pending
from .running import TIMERS_CHANNEL
from .specs import ProcessLibrary
from .timers import fire_due_timers, seconds_until_next_timer, timer_is_due

log = logging.getLogger("worker")
LONGEST_BACKOFF = 30.0  # seconds between tries while the database is away
POLL_SLICE = 0.5  # without LISTEN (SQLite), how often a sleeping worker looks for a due timer


@dataclass
class Periodic:
    """Upkeep run every `every` (by the one clock), from the worker's round."""

    name: str
    every: timedelta
    run: Callable[[Context], int]
    last: datetime | None = None

    def maybe(self, ctx: Context) -> None:
        now = clock.now()
        if self.last is None or now - self.last >= self.every:
            done = self.run(ctx)
            ctx.db.commit()
            self.last = now
            if done:
                log.info("%s: %d", self.name, done)


def sweep_evidence(ctx: Context) -> int:
    return evidence.sweep_unreferenced(ctx.db, ctx.settings)


def anchor_if_due(ctx: Context) -> int:
    """The trail's anchors (they keep their own period); a log that cannot be
    extended is reported each period, and the timers go on."""
    try:
        return 1 if anchors.write_if_due(ctx) else 0
    except (anchors.AnchorError, OSError) as error:
        ctx.db.rollback()
        log.error("no audit anchor written: %s", error)
        return 0


@dataclass
class Worker:
    sessions: sessionmaker
    library: ProcessLibrary
    settings: Settings
    mail: MailSettings
    interval: float = 1.0  # the longest sleep when idle
    upkeep: list[Periodic] = field(
        default_factory=lambda: [
            Periodic("audit anchors written", timedelta(0), anchor_if_due),
            Periodic("cases anonymised (retention)", timedelta(hours=1), retention.anonymise_due),
            # After the anonymising: its files are unreferenced once it committed.
            Periodic("unreferenced files removed", timedelta(hours=1), sweep_evidence),
            # What the operations changed, into the dashboard's tallies (the page folds any left).
            Periodic("tally changes folded", timedelta(0), lambda ctx: tallies.fold(ctx.db, limit=1000)),
            # A person's year of cases, recounted as its oldest case leaves it (the dashboard's repeats).
            Periodic("repeat counts recounted", timedelta(hours=1), lambda ctx: tallies.refresh_due(ctx.db)),
        ]
    )
    stopping: threading.Event = field(default_factory=threading.Event)
    rounds: int = 0

    def run(self, once: bool = False) -> None:
        backoff = 0.0
        with _waker_for(self.sessions) as waker:
            while not self.stopping.is_set():
                try:
                    pause = self.round()
                    backoff = 0.0
                except DBAPIError as error:  # the database went away, or refused us for now
                    backoff = min(LONGEST_BACKOFF, max(1.0, backoff * 2))
                    log.warning("database unavailable (%s); trying again in %.0f s", _first_line(error), backoff)
                    waker.reset()
                    pause = backoff
                if once:
                    return
                waker.wait(pause, self.stopping)

    def round(self) -> float:
        """One pass over the work; returns how long to sleep."""
        self.rounds += 1
        with self.sessions() as db:
            ctx = Context(db, self.library, self.settings)
            fired = fire_due_timers(ctx)
            sent = send_pending(db, self.mail) + webhooks.send_due(db)
            for job in self.upkeep:
                job.maybe(ctx)
            if fired or sent:
                log.info("fired %d timer(s), sent %d message(s)", fired, sent)
                return 0.0
            return seconds_until_next_timer(ctx, self.interval)

    def stop(self) -> None:
        self.stopping.set()


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


def _waker_for(sessions: sessionmaker) -> _Waker:
    engine = sessions.kw["bind"]
    if engine.dialect.name == "postgresql":
        return _ListeningWaker(engine)
    return _PollingWaker(sessions)


class _Waker:
    """Sleeps for the worker; wakes early when a timer falls due sooner."""

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def wait(self, seconds: float, stopping: threading.Event) -> None:
        stopping.wait(seconds)

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


class _PollingWaker(_Waker):
    """SQLite has no LISTEN: look for a due timer every half second (an index lookup)."""

    def __init__(self, sessions: sessionmaker):
        self.sessions = sessions

    def wait(self, seconds: float, stopping: threading.Event) -> None:
        deadline = time.monotonic() + seconds  # sleeping is real time, whatever the clock says
        while not stopping.wait(min(POLL_SLICE, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                return
            try:
                with self.sessions() as db:
                    if timer_is_due(db):
                        return
            except DBAPIError:
                return  # the round will report it


class _ListeningWaker(_Waker):
    """LISTEN on its own connection; an operation's NOTIFY (sent when it
    stores an earlier timer) ends the sleep."""

    def __init__(self, engine):
        self.engine, self.connection = engine, None

    def _listening(self):
        if self.connection is None:
            raw = self.engine.raw_connection()
            raw.detach()  # autocommit from here on: it must never go back to the pool
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute(f"LISTEN {TIMERS_CHANNEL}")
            self.connection = raw
        return self.connection.driver_connection

    def wait(self, seconds: float, stopping: threading.Event) -> None:
        try:
            # Short slices so stop() is heard; a notification ends the wait at once.
            deadline = time.monotonic() + seconds
            while not stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                for _notice in self._listening().notifies(timeout=min(left, 1.0), stop_after=1):
                    return
        except Exception as error:  # the connection died: sleep plainly, listen again next time
            log.warning("not listening for new timers (%s)", _first_line(error))
            self.reset()
            stopping.wait(min(seconds, 1.0))

    def reset(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # already gone
                self.connection.invalidate()
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
