"""The app served for real on a fresh SQLite database, for browser tests."""

from __future__ import annotations

import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from models import make_engine, make_session_factory
from tests.conftest import migrate
from tests.mailserver import MailServer
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


@pytest.fixture(scope="module")
def mail():
    """A real SMTP server on this machine, for a module's journey."""
    with MailServer() as server:
        yield server


def mail_to(mail, email, reference) -> Counter:
    """Subjects of the emails `email` received about the case `reference`."""
    return Counter(m["Subject"] for m in mail.inbox.messages if email in m["To"] and f"({reference})" in m["Subject"])


@contextmanager
def served_app(tmp: Path, seed: Callable) -> Iterator[str]:
    """`served`, yielding only its base URL."""
    with served(tmp, seed) as live:
        yield live.url


AXE = Path(__file__).resolve().parents[2] / "webapp/static/vendor/axe-core/axe.min.js"
# Runs in every page as it loads (an init script, so the app's CSP does not
# apply): once the page has loaded, axe-core checks it and reports what blocks people.
CHECK_ON_LOAD = """
if (window.top === window) {
  const blocking = (v) => ["serious", "critical"].includes(v.impact);
  const said = (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`;
  // The diagram's drawing is bpmn-js's SVG (its figure has its own label).
  const context = {exclude: [["#case-diagram .djs-container"]]};
  let reported = false;
  const report = (found) => { if (!reported) { reported = true; window.__axeReport(location.href, found); } };
  const check = () => {
    setTimeout(() => report(["axe-core did not finish in 15 s"]), 15000);
    Promise.resolve()
      .then(() => axe.run(context, {resultTypes: ["violations"]}))
      .then((result) => report(result.violations.filter(blocking).map(said)),
            (error) => report([`axe-core failed: ${error}`]));
  };
  if (document.readyState === "complete") check();
  else window.addEventListener("load", check);
}"""


@dataclass
class Accessibility:
    """axe-core on every page a browser test visits. Each page checks itself
    as it loads; a navigation away from a page whose check is not yet in
    waits (its request is held in a route) until it is, so no page slips by
    however fast the journey moves on."""

    owed: bool = False  # a page was let load and has not reported its check yet
    visited: int = 0
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last: str = ""  # the page last let load
    unchecked: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        self._main_frame = page.main_frame
        page.add_init_script(AXE.read_text() + CHECK_ON_LOAD)
        page.expose_binding("__axeReport", self._reported)
        page.route("**/*", self._leaving)

    def _reported(self, _source, url: str, found: list[str]) -> None:
        self.checked.append(url)
        self.problems.extend(f"{url}: {problem}" for problem in found)
        self.owed = False

    def _leaving(self, route, request) -> None:
        if request.is_navigation_request() and request.frame == self._main_frame:
            for _ in range(150):  # until the page shown now has been checked, up to 15 s
                if not self.owed:
                    break
                self._main_frame.page.wait_for_timeout(100)
            if self.owed:  # its check never came (seen on a loaded machine, after a redirect)
                self.unchecked.append(self.last)
            self.owed, self.visited, self.last = True, self.visited + 1, request.url
        route.continue_()

    def assert_clean(self, page) -> None:
        for _ in range(300):  # the last page's check, up to 30 s
            if not self.owed:
                break
            page.wait_for_timeout(100)
        assert self.checked, "axe-core checked no page"
        if self.owed:
            self.unchecked.append(self.last)
        if self.unchecked:  # known gap: reported, not failed (see the branch's report)
            warnings.warn(f"axe-core's check never came for {self.unchecked}", stacklevel=1)
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
