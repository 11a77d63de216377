"""Test data made with factory_boy: people, takedown requests and breach
cases. Cases are opened through the operations that open them in the
product, so every case a test uses went through the real rules.

The factories write through the session bound with `bind(db)`; the `db`
fixture binds the test's session, and the `make_*` helpers bind the one they
are given (tests that commit for real use sessions of their own).
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from models import PersonType, Role, User, UserRole
from workflows.demo import DEMO_PNG
from workflows.engine import clock
from workflows.engine.evidence import store_upload
from workflows.procedures.breach.opening import BreachReport, open_breach
from workflows.procedures.inaccurate_information.opening import InaccuracyReport, report_inaccurate_information
from workflows.procedures.takedown.opening import TakedownRequest, request_takedown

PASSWORD = "correct horse battery staple"
_session = {"db": None}


def bind(db) -> None:
    _session["db"] = db


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)  # argon2 is slow on purpose: hash once


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: _session["db"]  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    class Params:
        roles: tuple[str, ...] = ()
        line_manager = None

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttributeSequence(lambda o, n: f"{o.name.lower().replace(' ', '.')}.{n}@bcwhub.test")
    password_hash = factory.LazyFunction(_password_hash)
    person_type = PersonType.EMPLOYEE
    line_manager_id = factory.LazyAttribute(lambda o: o.line_manager.id if o.line_manager else None)
    created_at = factory.LazyFunction(clock.now)
    role_rows = factory.LazyAttribute(lambda o: [UserRole(role=r) for r in o.roles])


class TakedownFactory(factory.Factory):
    """A takedown request, sent through `request_takedown` (pass ctx=)."""

    class Meta:
        model = TakedownRequest

    requester = factory.SubFactory(UserFactory, name="Mo Manager", roles=(Role.MANAGER,))
    subject = factory.SubFactory(UserFactory)
    platform = "Facebook"
    urls = factory.LazyFunction(lambda: ["https://facebook.com/posts/123"])
    clauses = factory.LazyFunction(lambda: ["SMP-5.6"])
    reasons = "Derogatory comments about a service user."
    deadline_hours = 24
    evidence = factory.LazyFunction(list)
    captured_at = factory.LazyFunction(clock.now)

    @classmethod
    def _create(cls, model_class, *args, ctx=None, requester=None, **kwargs):
        assert ctx is not None, "TakedownFactory needs ctx=: it opens the case for real"
        if not kwargs["evidence"]:  # the operation needs the content captured before removal
            screenshot = store_upload(ctx.settings, BytesIO(DEMO_PNG), "post.png", requester, "Captured", clock.now())
            kwargs["evidence"] = [screenshot]
        return request_takedown(ctx, requester, model_class(**kwargs))


class BreachCaseFactory(factory.Factory):
    """A breach case, opened through `open_breach` (pass ctx=)."""

    class Meta:
        model = BreachReport

    hr = factory.SubFactory(UserFactory, name="Hana HR", roles=(Role.HR,))
    subject = factory.SubFactory(UserFactory)
    source = "manager_report"
    clauses = factory.LazyFunction(lambda: ["SMP-5.5"])
    description = "Posted a photo of a service user without consent."
    reported_by = None
    evidence = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, ctx=None, hr=None, **kwargs):
        assert ctx is not None, "BreachCaseFactory needs ctx=: it opens the case for real"
        return open_breach(ctx, hr, model_class(**kwargs))


# --- the short forms most tests use -------------------------------------------


def make_user(
    db,
    name: str | None = None,
    *,
    roles: tuple[str, ...] = (),
    person_type: str = PersonType.EMPLOYEE,
    line_manager: User | None = None,
) -> User:
    bind(db)
    extra = {"name": name} if name else {}
    return UserFactory(roles=roles, person_type=person_type, line_manager=line_manager, **extra)


def make_hr(db, name: str | None = None) -> User:
    return make_user(db, name or "Hana HR", roles=(Role.HR,))


def make_manager(db, name: str | None = None) -> User:
    return make_user(db, name or "Mo Manager", roles=(Role.MANAGER,))


def make_takedown(ctx, requester: User, subject: User, **overrides):
    bind(ctx.db)
    return TakedownFactory(ctx=ctx, requester=requester, subject=subject, **overrides)


def make_breach(ctx, hr: User, subject: User, **overrides):
    bind(ctx.db)
    return BreachCaseFactory(ctx=ctx, hr=hr, subject=subject, **overrides)


def make_inaccuracy_report(ctx, reporter: User, **overrides):
    """A report of inaccurate information [SMP-5.12], sent through the operation the page uses."""
    report = {
        "platform": "Google (Maps, search or reviews)",
        "url": "https://maps.example.org/bcw-hub",
        "inaccuracy": "The listing says the Hub is closed on Tuesdays.",
        "correction": "The drop-in is open every Tuesday, 10:00 to 14:00.",
        **overrides,
    }
    return report_inaccurate_information(ctx, reporter, InaccuracyReport(**report))
