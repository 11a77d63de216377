"""The app served for real on a fresh SQLite database, for browser tests."""

from __future__ import annotations

import threading
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
SECONDS = 30  # one page's check, at most (a loaded machine takes a few seconds)
READY_SECONDS = 10  # for a page left early to be styled
# Runs in every document before its own scripts (an init script, so the app's
# CSP, which allows only the app's own scripts, does not apply). A page of the
# app says it has begun, and once it is ready, axe-core checks it and the page
# reports the result. It reports by itself because while a navigation's
# request is held (below), Chromium runs no evaluation sent from here: one is
# asked for only at the end of a journey, when nothing is held.
CHECK_ON_LOAD = """
if (window.top === window && /^https?:/.test(location.href)) {
  const id = `${performance.timeOrigin}-${Math.random()}`;
  const blocking = (v) => ["serious", "critical"].includes(v.impact);
  const said = (v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`;
  // The diagram's drawing is bpmn-js's SVG (its figure has its own label).
  const context = {exclude: [["#case-diagram .djs-container"]]};
  const late = (s) => new Promise((_, fail) => setTimeout(() => fail(new Error(`no answer in ${s} s`)), s * 1e3));
  const event = (target, name) => new Promise((done) => target.addEventListener(name, done, {once: true}));
  // Its parsing done and its stylesheets in (colour contrast is checked).
  const styled = async () => {
    if (document.readyState === "loading") await event(document, "DOMContentLoaded");
    const sheets = [...document.querySelectorAll('link[rel="stylesheet"]')].filter((link) => !link.sheet);
    await Promise.all(sheets.map((link) => Promise.race([event(link, "load"), event(link, "error")])));
  };
  // Once loaded; or, left before then, as soon as it is styled: a document
  // never loads while a navigation away from it is pending (held, below).
  const ready = document.readyState === "complete" ? Promise.resolve()
    : Promise.race([event(window, "load"), event(window, "beforeunload").then(styled)]);
  const check = async () => {
    await Promise.race([ready, late(READY_SECONDS)]).catch(() => {});  // then as it is
    if (document.contentType !== "text/html") return [];  // a PDF shown, say
    try {
      const result = await Promise.race([axe.run(context, {resultTypes: ["violations"]}), late(SECONDS)]);
      return result.violations.filter(blocking).map(said);
    } catch (error) {
      return [`axe-core could not check it: ${error}`];
    }
  };
  window.__axeBegun(id, location.href);
  const result = check();
  result.then((found) => window.__axeReport(id, location.href, found));
  // What the end of a journey awaits (no longer than a check may take).
  window.__axeAwait = () => Promise.race([result, late(WAIT)]).then((found) => [id, location.href, found]);
}"""
# The longest a page's report may take: to be ready, then axe-core's run.
WAIT = READY_SECONDS + SECONDS + 5
CHECK_ON_LOAD = CHECK_ON_LOAD.replace("READY_SECONDS", str(READY_SECONDS)).replace("SECONDS", str(SECONDS))
CHECK_ON_LOAD = CHECK_ON_LOAD.replace("WAIT", str(WAIT))
# The last page's result, awaited from here (null: not a page of the app).
LAST = "() => window.__axeAwait ? window.__axeAwait() : null"


@dataclass
class Accessibility:
    """axe-core on every page a browser test visits. Each page checks itself
    once it has loaded; a navigation away waits (its request held in a route)
    until every page begun has reported, and the page shown at the end is
    awaited last. A page reached through a redirect is a page begun like any
    other. A check that cannot run, or never reports, fails like a violation."""

    begun: dict[str, str] = field(default_factory=dict)  # each page begun and not yet reported
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        self._page = page
        page.expose_binding("__axeBegun", self._begun)
        page.expose_binding("__axeReport", self._reported)
        page.add_init_script(AXE.read_text() + CHECK_ON_LOAD)
        page.route("**/*", self._leaving)

    def _begun(self, _source, page_id: str, url: str) -> None:
        self.begun[page_id] = url

    def _reported(self, _source, page_id: str, url: str, found: list[str]) -> None:
        if self.begun.pop(page_id, None) is not None:  # once per page, whoever asked first
            self.checked.append(url)
            self.problems.extend(f"{url}: {problem}" for problem in found)

    def _leaving(self, route, request) -> None:
        if request.is_navigation_request() and request.frame == self._page.main_frame:
            self._wait_for_reports(WAIT)
        route.continue_()

    def _wait_for_reports(self, seconds: float) -> None:
        for _ in range(int(seconds * 10)):
            if not self.begun:
                return
            self._page.wait_for_timeout(100)
        if not self.begun:
            return
        self.problems.extend(f"{url}: axe-core never reported on it" for url in self.begun.values())
        self.begun.clear()

    def _await_last(self) -> None:
        """The page shown now: its load awaited, then its check (once more if
        a navigation replaced it meanwhile)."""
        for attempt in (1, 2):
            try:
                self._page.wait_for_load_state("load")
                last = self._page.evaluate(LAST)
            except Exception as error:  # Playwright's Error (its own, or the page's)
                if attempt == 1 and "Execution context was destroyed" in str(error):
                    continue
                self.problems.append(f"{self._page.url}: axe-core could not check it: {error}")
                break
            if last is not None:
                self._reported(None, *last)
            break
        self._wait_for_reports(0)  # any page begun and never reported

    def assert_clean(self) -> None:
        self._await_last()
        assert not self.problems, "axe-core: serious or critical violations, or pages not checked\n" + "\n".join(
            self.problems
        )
        assert self.checked, "axe-core checked no page"


@contextmanager
def accessible(page) -> Iterator[Accessibility]:
    """Check with axe-core (vendored by scripts/vendor_assets.sh) every page
    `page` visits; at the end, fail on any serious or critical violation, or
    on any page the check could not run on or never reported."""
    assert AXE.exists(), f"{AXE} is missing: run scripts/vendor_assets.sh"
    audit = Accessibility()
    audit.watch(page)
    yield audit
    audit.assert_clean()
