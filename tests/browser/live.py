"""The app served for real on a fresh SQLite database, for browser tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


AXE = Path(__file__).resolve().parents[2] / "webapp/static/vendor/axe-core/axe.min.js"
# Runs in every page as it loads (an init script, so the app's CSP does not
# apply): axe-core checks the loaded page and reports what blocks people.
CHECK_ON_LOAD = """
if (window.top === window) window.addEventListener("load", () => {
  const blocking = (v) => ["serious", "critical"].includes(v.impact);
  const said = (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`;
  axe.run(document, {resultTypes: ["violations"]}).then(
    (result) => window.__axeReport(location.href, result.violations.filter(blocking).map(said)),
    (error) => window.__axeReport(location.href, [`axe-core failed: ${error}`]));
});"""


@dataclass
class Accessibility:
    """axe-core on every page a browser test visits. Each page is checked when
    it has loaded; a navigation away from a page not yet checked waits (its
    request is held) until the check is in, so no page slips by however fast
    the journey moves on."""

    loads: int = 0
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    held: list = field(default_factory=list)

    def watch(self, page) -> None:
        page.add_init_script(AXE.read_text() + CHECK_ON_LOAD)
        page.expose_binding("__axeReport", self._reported)
        page.on("load", self._loaded)
        page.route("**/*", self._leaving)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def _reported(self, _source, url: str, found: list[str]) -> None:
        self.checked.append(url)
        self.problems.extend(f"{url}: {problem}" for problem in found)
        held, self.held = self.held, []
        for route in held:
            route.continue_()

    def _leaving(self, route, request) -> None:
        if request.is_navigation_request() and len(self.checked) < self.loads:
            self.held.append(route)  # let go once this page's check is in
        else:
            route.continue_()

    def assert_clean(self, page) -> None:
        for _ in range(200):  # the last page's check, up to 20 s
            if len(self.checked) >= self.loads:
                break
            page.wait_for_timeout(100)
        assert self.checked, "axe-core checked no page"
        assert len(self.checked) >= self.loads, f"axe-core checked {len(self.checked)} of {self.loads} pages"
        assert not self.problems, "axe-core: serious or critical violations\n" + "\n".join(self.problems)


@contextmanager
def accessible(page) -> Iterator[Accessibility]:
    """Check with axe-core (vendored by scripts/vendor_assets.sh) every page
    `page` visits; at the end, fail on any serious or critical violation."""
    assert AXE.exists(), f"{AXE} is missing: run scripts/vendor_assets.sh"
    audit = Accessibility()
    audit.watch(page)
    yield audit
    audit.assert_clean(page)
