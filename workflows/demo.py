"""Demo people and cases for `make run`. Passwords are random each load and
printed once; they exist only in the demo database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy import select

from models import Case, PersonType, Role, User

from .engine import clock
from .engine.context import Context
from .engine.errors import InvalidInput
from .engine.evidence import store_upload
from .engine.people import create_user, set_password
from .procedures.breach import demo as breach_demo
from .procedures.breach.opening import BreachReport, open_breach
from .procedures.campaign_permission import demo as campaign_permission
from .procedures.disciplinary import demo as disciplinary
from .procedures.inaccurate_information import demo as inaccurate_information
from .procedures.monitoring import demo as monitoring
from .procedures.takedown.opening import TakedownRequest, request_takedown

# (email, name, job title, person type, roles, line manager's email)
PEOPLE = [
    ("hana.hussain@bcwhub.test", "Hana Hussain", "HR Officer", PersonType.EMPLOYEE, (Role.HR,), None),
    (
        "grace.okafor@bcwhub.test",
        "Grace Okafor",
        "Hub Manager",
        PersonType.EMPLOYEE,
        (Role.HUB_MANAGER, Role.ADMIN),
        None,
    ),
    (
        "mark.taylor@bcwhub.test",
        "Mark Taylor",
        "Services Manager",
        PersonType.EMPLOYEE,
        (Role.MANAGER,),
        "grace.okafor@bcwhub.test",
    ),
    (
        "priya.shah@bcwhub.test",
        "Priya Shah",
        "Volunteer Coordinator",
        PersonType.EMPLOYEE,
        (Role.MANAGER,),
        "grace.okafor@bcwhub.test",
    ),
    ("ellie.jones@bcwhub.test", "Ellie Jones", "Support Worker", PersonType.EMPLOYEE, (), "mark.taylor@bcwhub.test"),
    ("sam.wright@bcwhub.test", "Sam Wright", "Outreach Worker", PersonType.EMPLOYEE, (), "mark.taylor@bcwhub.test"),
    ("tom.baker@bcwhub.test", "Tom Baker", "Activities Worker", PersonType.EMPLOYEE, (), "mark.taylor@bcwhub.test"),
    ("vic.patel@bcwhub.test", "Vic Patel", "Befriending Volunteer", PersonType.VOLUNTEER, (), "priya.shah@bcwhub.test"),
    ("ruth.adeyemi@bcwhub.test", "Ruth Adeyemi", "Chair of the board", PersonType.TRUSTEE, (Role.CHAIR,), None),
    ("tariq.khan@bcwhub.test", "Tariq Khan", "Trustee", PersonType.TRUSTEE, (), None),
]

# A 1x1 PNG: enough to show evidence handling in the demo.
DEMO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


@dataclass
class DemoLogin:
    email: str
    name: str
    roles: str
    password: str


def load(ctx: Context, short_deadline_minutes: float = 3) -> list[DemoLogin]:
    """Create (or reset the passwords of) the demo people; add demo cases once.
    Refuses a database that holds anyone else: it is not a demo database."""
    refuse_a_real_database(ctx.db)
    db, logins, by_email = ctx.db, [], {}
    for email, name, title, person_type, roles, manager in PEOPLE:
        password = secrets.token_urlsafe(9)
        user = db.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(
                db,
                email=email,
                name=name,
                password=password,
                person_type=person_type,
                roles=roles,
                line_manager=by_email.get(manager),
                job_title=title,
            )
        else:
            set_password(db, user, password)
        by_email[email] = user
        logins.append(DemoLogin(email, name, ", ".join(roles) or person_type, password))
    if not _has_cases(ctx):
        _demo_cases(ctx, by_email, short_deadline_minutes)
    return logins


def refuse_a_real_database(db) -> None:
    demo_emails = [email for email, *_ in PEOPLE]
    others = list(db.scalars(select(User.email).where(User.email.not_in(demo_emails)).order_by(User.id).limit(4)))
    if others:
        shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
        raise InvalidInput(
            f"This database holds people who are not demo people ({shown}). Demo data resets the demo "
            "people's passwords and adds demo cases, so it is loaded only into a database of its own."
        )


def _has_cases(ctx: Context) -> bool:
    return ctx.db.scalar(select(Case.id).limit(1)) is not None


def _demo_cases(ctx: Context, people: dict[str, User], short_minutes: float) -> None:
    manager, sam = people["mark.taylor@bcwhub.test"], people["sam.wright@bcwhub.test"]
    disciplinary.load(
        ctx, people["hana.hussain@bcwhub.test"], people["priya.shah@bcwhub.test"], people["tom.baker@bcwhub.test"]
    )
    open_breach(
        ctx,
        people["hana.hussain@bcwhub.test"],
        BreachReport(
            subject=people["ellie.jones@bcwhub.test"],
            source="monitoring",
            clauses=["SMP-5.5", "SMP-5.6"],
            description="A public Facebook post names a service user and describes their situation, "
            "with critical comments about the Hub's Tuesday drop-in.",
            reported_by=manager,
        ),
    )
    listing = store_upload(ctx.settings, BytesIO(DEMO_PNG), "maps-listing.png", sam, "Screenshot from the report")
    inaccurate_information.load(ctx, sam, listing)
    evidence = store_upload(
        ctx.settings, BytesIO(DEMO_PNG), "instagram-story.png", manager, "Captured before removal", clock.now()
    )
    request_takedown(
        ctx,
        manager,
        TakedownRequest(
            subject=sam,
            platform="Instagram",
            urls=["https://instagram.com/stories/example/1"],
            clauses=["SMP-5.2", "SMP-5.6"],
            reasons="Story mocking a service user's appearance at the Tuesday drop-in.",
            deadline_hours=short_minutes / 60,
            evidence=[evidence],
            captured_at=clock.now(),
        ),
    )
    monitoring.load(ctx, people["hana.hussain@bcwhub.test"], sam)
    campaign_permission.load(
        ctx, people["grace.okafor@bcwhub.test"], people["priya.shah@bcwhub.test"], people["ellie.jones@bcwhub.test"]
    )
    _volunteer_and_trustee(ctx, people)


def _volunteer_and_trustee(ctx: Context, people: dict[str, User]) -> None:
    """Vic's problem-solving waits for HR to choose the coordinator; Tariq's
    referral waits for the Chair to record the board's decision."""
    hr = people["hana.hussain@bcwhub.test"]
    breach_demo.referred(
        ctx,
        hr,
        people["mark.taylor@bcwhub.test"],
        BreachReport(
            subject=people["vic.patel@bcwhub.test"],
            source="public_complaint",
            clauses=["SMP-5.6"],
            description="A befriending client's daughter complained about a Facebook comment mocking her mother.",
        ),
        facts="Vic commented on a public post about a client's birthday outing; the comment was unkind.",
        account="I meant it as a joke between friends; I took it down when I saw it had upset her.",
    )
    breach_demo.referred(
        ctx,
        hr,
        people["priya.shah@bcwhub.test"],
        BreachReport(
            subject=people["tariq.khan@bcwhub.test"],
            source="manager_report",
            clauses=["SMP-5.2"],
            description="A LinkedIn post, signed as a BCW Hub trustee, ridiculing the council that funds the Hub.",
        ),
        facts="Tariq posted as a trustee of BCW Hub; the post reads as the charity's view.",
        account="I wrote it as myself, but I see that my title made it look like the Hub's view.",
    )
