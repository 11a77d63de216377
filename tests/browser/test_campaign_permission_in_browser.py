"""Campaign permission [SMP-4.3] end to end in a real browser (Chromium), by
visible labels: Sam asks before he is authorised and is told who can
authorise him; Grace (Hub Manager) authorises him on Instagram; his request
with a start in the past is refused with the range allowed; Grace asks for
changes, Sam revises and sends it again, Grace approves it; it is on the
register; the clock passes its last day and the case closes itself. Emails go
through a real SMTP server, each once."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no Chromium at /usr/bin/chromium (`make test` installs it)", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from workflows.engine import clock, people  # noqa: E402

from .live import mail, mail_to, served  # noqa: E402,F401
from .test_takedown_in_browser import PASSWORD, open_task, page, shot, sign_in, sign_out  # noqa: E402,F401

HUB, REQUESTER = "grace@bcwhub.example.org", "sam@bcwhub.example.org"
SMP_4_3 = "obtain permission from the Hub Manager before embarking on a public campaign using social media"
SAFER = "Volunteers sign a consent form before their story is posted; no service user appears."


@pytest.fixture(scope="module")
def live(tmp_path_factory, mail):
    def seed(db):
        people.create_user(db, email=HUB, name="Grace Okafor", password=PASSWORD, roles=("hub_manager",))
        people.create_user(db, email=REQUESTER, name="Sam Wright", password=PASSWORD)

    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail.port}
    with served(tmp_path_factory.mktemp("browser-cp"), seed, config) as live:
        yield live


@pytest.fixture(scope="module")
def base_url(live):
    return live.url


def fill_request(page, starts: str) -> None:
    page.get_by_label("Name of the campaign").fill("Spring volunteer drive")
    page.get_by_label("What the campaign is for").fill("Recruit ten befriending volunteers.")
    page.get_by_label("How it benefits BCW Hub and the area we support").fill("More weekly visits to older people.")
    page.get_by_label("Instagram: @bcwhub").check()
    page.get_by_label("First day").fill(starts)
    page.get_by_label("Last day").fill("2026-03-20")
    page.get_by_label("Who it is for").fill("Adults in Buckinghamshire.")
    page.get_by_label("What will be posted, and how often").fill("Two posts a week: volunteers' stories.")
    page.get_by_label("How service users' information is kept safe").fill("No service user is named.")
    page.get_by_role("button", name="Ask the Hub Manager").click()


def answer(page, choice: str, reasons: str) -> None:
    open_task(page, "Decide on the campaign")
    page.get_by_label(choice).check()
    page.get_by_label("Reasons").fill(reasons)
    page.get_by_role("button", name="Record the answer").click()


def test_a_campaign_is_asked_for_changed_approved_and_closes_at_its_end_date(page, live, mail):
    # 1. Sam is not authorised on any account yet: refused, told who can authorise him.
    sign_in(page, REQUESTER)
    page.get_by_role("link", name="Ask permission for a campaign").click()
    expect(page.locator("blockquote", has_text="[SMP-4.3]")).to_contain_text(SMP_4_3)
    fill_request(page, "2026-03-09")
    expect(page.get_by_text("Ask Grace Okafor (Hub Manager) to authorise you.").first).to_be_visible()
    expect(page.get_by_label("Name of the campaign")).to_have_value("Spring volunteer drive")
    shot(page, "cp-1-not-authorised")
    sign_out(page)

    # 2. Grace authorises him on Instagram until the end of June.
    sign_in(page, HUB)
    page.goto("/campaigns/new")
    page.get_by_role("link", name="Who is authorised on BCW Hub's accounts").click()
    page.get_by_label("Who").select_option(label="Sam Wright")
    page.get_by_label("Which BCW Hub account").select_option(label="Instagram: @bcwhub")
    page.get_by_label("Authorised until (the last day)").fill("2026-06-30")
    page.get_by_role("button", name="Authorise").click()
    expect(page.get_by_role("status")).to_contain_text("Sam Wright is authorised on Instagram: @bcwhub.")
    expect(page.get_by_role("row", name=re.compile("Sam Wright"))).to_contain_text("Tuesday 30 June 2026")
    sign_out(page)

    # 3. Sam asks again: a start in the past is refused with the range allowed; then it goes.
    sign_in(page, REQUESTER)
    page.get_by_role("link", name="Ask permission for a campaign").click()
    fill_request(page, "2026-02-27")
    expect(
        page.get_by_text(
            "The start date is in the past: a campaign may start between Monday 2 March 2026 and Tuesday 2 March 2027."
        )
    ).to_be_visible()
    page.get_by_label("First day").fill("2026-03-09")
    page.get_by_role("button", name="Ask the Hub Manager").click()
    expect(page).to_have_url(re.compile(r"/cases/CP-2026-\d{4}$"))
    reference = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("status")).to_contain_text("has gone to the Hub Manager")
    sign_out(page)

    # 4. Grace asks for changes; Sam sees why, revises and sends it again.
    sign_in(page, HUB)
    answer(page, "Ask for changes", "Say how volunteers consent to their stories being posted.")
    expect(page.locator("h1 .badge")).to_have_text("Changes asked")
    sign_out(page)
    sign_in(page, REQUESTER)
    open_task(page, "Revise the campaign request")
    expect(page.get_by_text("Say how volunteers consent to their stories being posted.")).to_be_visible()
    expect(page.get_by_label("Name of the campaign")).to_have_value("Spring volunteer drive")
    page.get_by_label("How service users' information is kept safe").fill(SAFER)
    page.get_by_label("What you changed").fill("Consent forms for every story.")
    page.get_by_label("Send the revised request to the Hub Manager").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("h1 .badge")).to_have_text("Waiting for the Hub Manager's answer")
    sign_out(page)

    # 5. Grace approves it, with a guideline; it is on the register.
    sign_in(page, HUB)
    open_task(page, "Decide on the campaign")
    expect(page.get_by_text("Consent forms for every story.")).to_be_visible()
    page.get_by_label("Approve the campaign").check()
    page.get_by_label("Reasons").fill("Clear purpose, and consent is in hand.")
    page.get_by_label("Guidelines the campaign must follow (optional)").fill("Tag every post #BCWVolunteers.")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("h1 .badge")).to_have_text("Approved")
    sign_out(page)
    sign_in(page, REQUESTER)
    page.goto("/campaigns/register")
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("Spring volunteer drive")
    expect(row).to_contain_text("Friday 20 March 2026")
    shot(page, "cp-2-register")
    live.run_worker()
    live.run_worker()
    assert mail_to(mail, REQUESTER, reference) == {
        f"Changes asked to your campaign request ({reference})": 1,
        f"Your campaign has been approved ({reference})": 1,
    }
    [approved] = [m for m in mail.inbox.messages if "approved" in m["Subject"]]
    assert "Tag every post #BCWVolunteers." in approved.get_payload(decode=True).decode()

    # 6. Its last day passes: the case closes itself and leaves the register.
    clock.advance(datetime(2026, 3, 21, 9, 0, tzinfo=clock.LONDON) - clock.now())
    live.run_worker()
    page.goto("/campaigns/register")
    expect(page.get_by_text("No approved campaign is running or to come.")).to_be_visible()
    page.goto(f"/cases/{reference}")
    expect(page.locator("h1 .badge")).to_have_text("Closed")
    shot(page, "cp-3-closed")
    live.run_worker()
    assert mail_to(mail, REQUESTER, reference)[f"Your campaign's permission has ended ({reference})"] == 1
    assert mail_to(mail, HUB, reference) == {f"Sam Wright asks permission for a campaign ({reference})": 2}
