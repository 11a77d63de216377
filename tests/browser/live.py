"""The app served for real on a fresh SQLite database, for browser tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from models import make_engine, make_session_factory
from tests.conftest import migrate


@contextmanager
def served_app(tmp: Path, seed: Callable) -> Iterator[str]:
    """Migrate a new database, `seed(db)` it, serve the app; yields its base URL."""
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
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
