"""A small helper for driving pages the way a browser would: read the CSRF
token from the form on the page, then post the form with it."""

from __future__ import annotations

import re

from ..factories import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class Web:
    def __init__(self, client):
        self.client = client

    def token(self, url: str) -> str:
        page = self.client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        match = _TOKEN.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1) or match.group(2)

    def submit(self, url: str, data: dict, form_page: str | None = None, **kwargs):
        """GET the form's page (the URL itself unless named), then POST it with its CSRF token."""
        token = self.token(form_page or url)
        return self.client.post(url, data={**data, "csrf_token": token}, **kwargs)

    def login(self, user, password: str = PASSWORD):
        response = self.submit("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token("/")})

    def text(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response.get_data(as_text=True)
