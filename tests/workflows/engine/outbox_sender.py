"""A sender in a process of its own, for a test to kill mid-batch:
python -m tests.workflows.engine.outbox_sender DATABASE_URL SMTP_PORT CLOCK_ISO

It runs as `flask worker` sends: send_pending until nothing is left, on the
test's frozen time so its leases end when the test says."""

from __future__ import annotations

import sys
from datetime import datetime

from models import make_engine, make_session_factory
from workflows.engine import clock
from workflows.engine.outbox import MailSettings, send_pending


def main(url: str, port: str, now: str) -> None:
    clock.freeze(datetime.fromisoformat(now))
    db = make_session_factory(make_engine(url))()
    while send_pending(db, MailSettings(host="127.0.0.1", port=int(port))):
        db.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
