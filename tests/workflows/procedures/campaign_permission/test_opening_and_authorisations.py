"""Who may ask for a campaign, on which accounts and for which dates; the
register of authorisations, granted and ended by the Hub Manager or an
admin, on the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Case, Role
from tests.factories import make_user
from tests.workflows.helpers import complete
from workflows.engine import clock
from workflows.engine.errors import Forbidden, InvalidInput
from workflows.procedures.campaign_permission import authorisations

from . import authorise, make_campaign


@pytest.fixture
def hub(db):
    return make_user(db, "Grace Okafor", roles=(Role.HUB_MANAGER,))


@pytest.fixture
def sam(db):
    return make_user(db, "Sam Comms")


def refused(ctx, person, **overrides) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as refusal:
        make_campaign(ctx, person, **overrides)
    assert ctx.db.scalar(select(Case.id)) is None
    return refusal.value.errors


def test_someone_not_authorised_is_refused_naming_who_can_authorise_them(ctx, db, hub, sam):
    make_user(db, "Ada Admin", roles=(Role.ADMIN,))
    errors = refused(ctx, sam)
    assert errors == {
        "accounts": [
            "You are not authorised to contribute to Facebook: BCW Hub page, Instagram: @bcwhub. "
            "Ask Ada Admin (admin) or Grace Okafor (Hub Manager) to authorise you."
        ]
    }


def test_an_authorisation_ended_no_longer_counts(ctx, db, hub, sam):
    authorise(ctx, hub, sam, "instagram", "facebook")
    [instagram] = [a for a in authorisations.live(db) if a.account == "instagram"]
    authorisations.end(ctx, hub, instagram, "Sam has moved to the finance team.")
    assert "not authorised to contribute to Instagram: @bcwhub." in refused(ctx, sam)["accounts"][0]
    assert make_campaign(ctx, sam, accounts=["facebook"]).status == "open"


def test_an_authorisation_ending_before_the_campaign_is_refused(ctx, hub, sam):
    authorise(ctx, hub, sam, "instagram", until=date(2026, 3, 20))
    [message] = refused(ctx, sam, accounts=["instagram"])["accounts"]
    assert message.startswith("Your authorisation ends before the campaign does on Instagram: @bcwhub (until Friday")


def test_dates_in_the_past_are_refused_with_the_range_allowed(ctx, hub, sam):
    authorise(ctx, hub, sam)
    errors = refused(ctx, sam, starts_on=date(2026, 2, 27), ends_on=date(2026, 2, 28))
    assert errors["starts_on"] == [
        "The start date is in the past: a campaign may start between Monday 2 March 2026 and Tuesday 2 March 2027."
    ]
    assert errors["ends_on"] == ["The end date is in the past: it must be Monday 2 March 2026 or later."]
    too_far = refused(ctx, sam, starts_on=date(2027, 3, 3), ends_on=date(2027, 3, 4))
    assert too_far["starts_on"][0].startswith("The start date is too far ahead: a campaign may start between")


def test_an_end_before_the_start_is_refused(ctx, hub, sam):
    authorise(ctx, hub, sam)
    assert refused(ctx, sam, ends_on=date(2026, 3, 8)) == {"ends_on": ["The campaign cannot end before it starts."]}


def test_blank_answers_are_refused_each_by_name(ctx, hub, sam):
    authorise(ctx, hub, sam)
    errors = refused(ctx, sam, purpose=" ", benefit="", safeguards="", accounts=[])
    assert errors["purpose"] == ["Say what the campaign is for [SMP-4.2]."]
    assert errors["benefit"] == ["Say how it benefits BCW Hub and the area it supports [SMP-4.2]."]
    assert errors["safeguards"] == ["Say how service users' information is kept safe [SMP-4.1]."]
    assert errors["accounts"] == ["Choose the BCW Hub accounts the campaign uses."]


def test_only_the_hub_manager_or_an_admin_grants_and_ends_and_each_is_audited(ctx, db, hub, sam):
    manager = make_user(db, "Mo Manager", roles=(Role.MANAGER, Role.HR))
    with pytest.raises(Forbidden):
        authorisations.grant(ctx, manager, sam, "instagram", date(2026, 6, 30))
    admin = make_user(db, "Ada Admin", roles=(Role.ADMIN,))
    row = authorisations.grant(ctx, admin, sam, "instagram", date(2026, 6, 30))
    with pytest.raises(Forbidden):
        authorisations.end(ctx, manager, row, "No longer needed for the role.")
    with pytest.raises(InvalidInput, match="Say why it ends"):
        authorisations.end(ctx, hub, row, "short")
    authorisations.end(ctx, hub, row, "No longer needed for the role.")
    with pytest.raises(InvalidInput, match="already ended"):
        authorisations.end(ctx, hub, row, "No longer needed for the role.")
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.like("authorisation_%")).order_by(AuditEvent.id))
    assert [(e.action, e.actor_id, e.data["account"]) for e in events] == [
        ("authorisation_granted", admin.id, "instagram"),
        ("authorisation_ended", hub.id, "instagram"),
    ]


def test_an_authorisation_cannot_end_before_today(ctx, hub, sam):
    with pytest.raises(InvalidInput, match=r"The last day must be today \(Monday 2 March 2026\) or later."):
        authorisations.grant(ctx, hub, sam, "instagram", date(2026, 3, 1))


def test_approval_is_refused_once_the_requester_is_no_longer_authorised(ctx, db, hub, sam):
    authorise(ctx, hub, sam, "instagram", until=date(2026, 3, 31))
    case = make_campaign(ctx, sam, accounts=["instagram"])
    [row] = authorisations.live(db)
    clock.advance(timedelta(days=1))
    authorisations.end(ctx, hub, row, "Sam's contract has ended early.")
    with pytest.raises(InvalidInput) as refusal:
        complete(ctx, case, "UserTask_Decide", hub, campaign_decision="approve", decision_reasons="A fine campaign.")
    [message] = refusal.value.errors["campaign_decision"]
    assert message.startswith("It cannot be approved as it stands: You are not authorised to contribute to Instagram")
