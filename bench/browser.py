"""A stdlib HTTP client that behaves like a browser on our forms: cookies,
CSRF tokens from the page, redirects not followed. One per signed-in person."""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .common import PASSWORD

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/tasks/(\d+)"')


class HttpError(Exception):
    pass


class Browser:
    def __init__(self, host: str, port: int, timeout: float = 60.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, float]:
        """One request on a new connection (gunicorn's sync workers close
        each one); returns status, body and milliseconds."""
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "bench"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        elapsed = (time.perf_counter() - start) * 1000
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return response.status, text, elapsed

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def expect(self, method: str, path: str, status: int, form: dict | None = None) -> tuple[str, float]:
        code, text, ms = self.request(method, path, form)
        if code != status:
            raise HttpError(f"{method} {path}: {code}, expected {status}: {_snippet(text)}")
        return text, ms

    def form_token(self, path: str) -> tuple[str, float]:
        text, ms = self.expect("GET", path, 200)
        match = TOKEN.search(text)
        if not match:
            raise HttpError(f"no CSRF token on {path}")
        return match.group(1) or match.group(2), ms

    def submit(self, path: str, data: dict, status: int = 302) -> tuple[float, float]:
        """GET the form, POST it with its token: (GET ms, POST ms)."""
        token, get_ms = self.form_token(path)
        _text, post_ms = self.expect("POST", path, status, {**data, "csrf_token": token})
        return get_ms, post_ms

    def login(self, email: str, password: str = PASSWORD) -> None:
        self.submit("/login", {"email": email, "password": password})

    def task_ids(self) -> tuple[list[int], float]:
        text, ms = self.expect("GET", "/", 200)
        return [int(n) for n in TASK_LINK.findall(text)], ms


def _snippet(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:300]


class AppBrowser(Browser):
    """The same browser on Flask's test client: in-process, for profiles and
    for timing full page renders without the network."""

    def __init__(self, app):
        super().__init__("localhost", 80)
        self.client = app.test_client()

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, float]:
        start = time.perf_counter()
        response = self.client.open(path, method=method, data=form)
        text = response.get_data(as_text=True)
        return response.status_code, text, (time.perf_counter() - start) * 1000


def make_app(url: str, workdir: str):
    """The real app factory on a bench database (no test fixtures)."""
    from pathlib import Path

    from webapp import create_app

    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-only-secret",
            "INSTANCE_PATH": str(Path(workdir) / "instance"),
            "EVIDENCE_DIR": str(Path(workdir) / "evidence"),
        }
    )
