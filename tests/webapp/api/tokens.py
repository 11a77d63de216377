"""Tokens for the API tests, made through the operation the page uses."""

from __future__ import annotations

from datetime import timedelta

from workflows.engine import clock, tokens


def bearer(db, person, scopes=("read", "tasks"), days: int = 30) -> dict:
    made = tokens.create(db, person, name="test", scopes=list(scopes), expires_on=clock.now().date() + timedelta(days))
    return {"Authorization": f"Bearer {made.secret}"}
