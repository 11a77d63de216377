"""The app served for real on a fresh SQLite database, for browser tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from models import make_engine, make_session_factory
from tests.conftest import migrate
from workflows.engine.worker import Worker


@dataclass
class Live:
    url: str
    app: Flask

    def run_worker(self) -> None:
        """One round of the worker (`flask worker --once`): due timers fire, queued mail is sent."""
        s = self.app.extensions["casework"]
        Worker(s.sessions, s.library, s.settings, s.mail).run(once=True)


@contextmanager
def served(tmp: Path, seed: Callable, config: dict | None = None) -> Iterator[Live]:
    """Migrate a new database, `seed(db)` it, serve the app (with `config`
    added to its own); yields its base URL and the app, for its worker."""
    from webapp import create_app

    database_url = f"sqlite:///{tmp / 'casework.sqlite3'}"
    engine = make_engine(database_url)
    migrate(engine)
    with make_session_factory(engine)() as db:
        seed(db)
        db.commit()
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-test-only",
            "INSTANCE_PATH": str(tmp / "instance"),
            "EVIDENCE_DIR": str(tmp / "evidence"),
            "BASE_URL": "http://127.0.0.1",
            **(config or {}),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def served_app(tmp: Path, seed: Callable) -> Iterator[str]:
    """`served`, yielding only its base URL."""
    with served(tmp, seed) as live:
        yield live.url
