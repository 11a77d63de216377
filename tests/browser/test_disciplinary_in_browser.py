"""One disciplinary case end to end in Chromium, from the investigation that
referred it: HR refers Ellie after the findings of potential gross misconduct;
in the linked disciplinary case HR appoints Grace (Hub Manager, who may
dismiss), issues the invitation with notice, Ellie names her companion, Grace
holds the hearing once its time has come and dismisses summarily under
SMP-7.2; Ellie appeals in time, HR appoints Rosa (not involved), invites her to
the appeal, and Rosa varies the dismissal to a final written warning, which
Ellie's record shows live. The clock is moved past each hearing's time; the
worker sends the emails to a real SMTP server in the test."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from workflows.engine import clock, people

from .live import mail, mail_to, served  # noqa: F401
from .test_investigation_in_browser import HR, INVESTIGATOR, letters, submit

# Reused, with the module-scoped `page` fixture (it browses this module's base_url);
# these imports skip the module when there is no Chromium.
from .test_takedown_in_browser import (  # noqa: F401
    EMPLOYEE,
    MANAGER,
    PASSWORD,
    open_task,
    page,
    sign_in,
    sign_out,
)

SHOTS = Path("/tmp/browser-shots-dp")
HUB_MANAGER, APPEAL_OFFICER = "grace@bcwhub.example.org", "rosa@bcwhub.example.org"
OFFICER = "priya@bcwhub.example.org"  # a manager, without the authority to dismiss
SMP_5_7 = "could constitute unlawful discrimination, harassment or cyber-bullying contrary to the Equality Act 2010"
WITNESS_NOTES = "Sam was sent the mocking posts about Jo by three colleagues on Saturday."
PROPORTIONATE = "Dismissal: repeated posts targeting one colleague, after she asked Ellie to stop."
INVITATION, EVIDENCE_PACK = "Invitation to a disciplinary hearing", "Evidence pack for the disciplinary hearing"
NOTES_LETTER = "Notes of your disciplinary hearing"
DISMISSAL = "The outcome of your disciplinary hearing: summary dismissal for gross misconduct"
APPEAL_INVITATION, APPEAL_OUTCOME = (
    "Invitation to your appeal hearing",
    "The outcome of your appeal: varied to a lesser sanction",
)


@pytest.fixture(scope="module")
def live(tmp_path_factory, mail):
    def seed(db):
        people.create_user(db, email=HR, name="Hana Hussain", password=PASSWORD, roles=("hr",))
        people.create_user(db, email=INVESTIGATOR, name="Ivan Petrov", password=PASSWORD, roles=("manager",))
        people.create_user(db, email=OFFICER, name="Priya Shah", password=PASSWORD, roles=("manager",))
        people.create_user(db, email=HUB_MANAGER, name="Grace Okafor", password=PASSWORD, roles=("hub_manager",))
        people.create_user(db, email=APPEAL_OFFICER, name="Rosa Bennett", password=PASSWORD, roles=("hub_manager",))
        mark = people.create_user(db, email=MANAGER, name="Mark Taylor", password=PASSWORD, roles=("manager",))
        people.create_user(db, email=EMPLOYEE, name="Ellie Jones", password=PASSWORD, line_manager=mark)

    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail.port}
    with served(tmp_path_factory.mktemp("browser-dp"), seed, config) as live:
        yield live


@pytest.fixture(scope="module")
def base_url(live):
    return live.url


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def summary(page, term):
    """The value beside `term` in the case's summary."""
    return page.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def open_case(page, reference):
    page.get_by_role("navigation").get_by_role("link", name="Cases").click()
    page.get_by_role("main").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def checklist(page, item):
    return page.locator(".procedure-checklist li", has_text=item)


def offered(page, label) -> str:
    return " | ".join(page.get_by_label(label, exact=True).locator("option").all_inner_texts())


def move_clock_to(moment: str) -> None:
    """Forward to `moment`, UK time, as a day passes for everyone using the app."""
    target = datetime.fromisoformat(moment).replace(tzinfo=clock.LONDON)
    assert target > clock.now(), (moment, clock.now())
    clock.advance(target - clock.now())


def refer_from_an_investigation(page, tmp_path) -> str:
    """HR opens a breach case about Ellie; Ivan interviews a witness and
    invites her account; she gives it; he finds potential gross misconduct;
    HR refers her to the disciplinary procedure. Returns the investigation's reference."""
    sign_in(page, HR)
    page.get_by_role("navigation").get_by_role("link", name="New breach case").click()
    screenshot = tmp_path / "posts.png"
    page.screenshot(path=screenshot)
    page.get_by_label("Who the concern is about").select_option(label="Ellie Jones (employee)")
    page.get_by_label("How it came to light").select_option(label="Report from a manager")
    page.get_by_label("Reported by").select_option(label="Mark Taylor")
    page.locator('input[name="clauses"][value="SMP-5.7"]').check()
    page.get_by_label("What is alleged").fill(
        "Posted mocking memes about a colleague, Jo, on a public Instagram account."
    )
    page.get_by_label("Evidence file").set_input_files(screenshot)
    page.get_by_role("button", name="Open the case").click()
    expect(page).to_have_url(re.compile(r"/cases/BI-2026-\d{4}$"))
    investigation = page.url.rsplit("/", 1)[1]
    open_task(page, "Triage")
    page.get_by_label("Potential gross misconduct [SMP-7.2]").check()
    page.locator('input[name="personal_data_published"][value="no"]').check()
    page.locator('input[name="suspension_needed"][value="no"]').check()
    page.get_by_label("Investigator", exact=True).select_option(label="Ivan Petrov (manager)")
    submit(page, "Record triage")
    sign_out(page)

    sign_in(page, INVESTIGATOR)
    page.get_by_role("link", name=investigation).click()
    page.locator("summary", has_text="Add interview notes").click()
    page.get_by_label("Or someone outside BCW Hub: their name").fill("Sam Wright")
    page.get_by_label("Date of the interview").fill("2026-03-02")
    page.get_by_label("Notes", exact=True).fill(WITNESS_NOTES)
    page.get_by_role("button", name="Add interview notes").click()
    expect(page.locator("#case-file")).to_contain_text(WITNESS_NOTES)
    open_task(page, "Investigate and invite the subject's account")
    page.get_by_label("Days the subject has to give their account").fill("7")
    submit(page, "Invite their account")
    sign_out(page)

    sign_in(page, EMPLOYEE)
    open_task(page, "Give your account")
    page.get_by_label("I want to give my account").check()
    page.get_by_label("Your statement").fill("They were jokes between friends; I took them down when asked.")
    submit(page, "Send my response")
    sign_out(page)

    sign_in(page, INVESTIGATOR)
    open_task(page, "Record findings")
    page.get_by_label("Facts found").fill(
        "Ellie posted six memes mocking Jo over two weeks, after Jo asked her to stop."
    )
    page.locator('input[name="clauses_breached"][value="SMP-5.7"]').check()
    page.get_by_label("Mitigation").fill("Removed when asked; says they were jokes.")
    page.get_by_label("Potential gross misconduct [SMP-7.2]", exact=True).check()
    submit(page, "Record findings")
    sign_out(page)

    sign_in(page, HR)
    open_task(page, "Decide outcome")
    page.get_by_label("Refer to the disciplinary procedure").check()
    page.get_by_label("Reasons (these go in the letter)").fill(
        "Repeated posts targeting a colleague: a hearing is needed."
    )
    submit(page, "Record outcome")
    expect(page).to_have_url(re.compile(rf"/cases/{investigation}$"))
    expect(page.locator("h1 .badge")).to_have_text("Referred")
    return investigation


def test_a_summary_dismissal_is_varied_on_appeal_to_a_final_written_warning(page, live, mail, tmp_path):
    investigation = refer_from_an_investigation(page, tmp_path)
    shot(page, "dp-01-investigation-referred")

    # 1. The investigation links to the disciplinary case it opened, waiting for a hearing officer.
    linked = page.locator("section", has=page.get_by_role("heading", name="Linked cases"))
    linked.get_by_role("link", name=re.compile(r"^DP-2026-\d{4}$")).click()
    expect(page).to_have_url(re.compile(r"/cases/DP-2026-\d{4}$"))
    reference = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(summary(page, "Referred by")).to_have_text(investigation)
    expect(page.locator(".alert-info")).to_contain_text("Current step: Appoint a hearing officer")
    expect(page.locator("section", has=page.get_by_role("heading", name="Linked cases"))).to_contain_text(investigation)
    expect(page.locator("#case-file")).to_contain_text(WITNESS_NOTES)  # copied from the investigation
    for item in ("Hearing officer appointed", "Invitation letter issued", "Hearing held", "Decision in writing"):
        expect(checklist(page, item)).to_contain_text("Not yet:")
    shot(page, "dp-02-case-opened")

    # 2. Dismissal is possible, so a manager without the authority to dismiss is refused; Grace is appointed.
    open_task(page, "Appoint a hearing officer")
    expect(page.get_by_text("Dismissal is a possible outcome")).to_be_visible()
    choices = offered(page, "Hearing officer")
    assert "Grace Okafor" in choices and "Priya Shah" in choices, choices
    for involved in ("Ellie", "Ivan", "Mark"):  # the employee, the investigator, the reporter
        assert involved not in choices, choices
    page.get_by_label("Hearing officer", exact=True).select_option(label="Priya Shah (manager)")
    page.get_by_role("button", name="Appoint", exact=True).click()
    expect(page.get_by_text("Priya Shah does not hold the authority to dismiss (hub manager)")).to_be_visible()
    page.get_by_label("Hearing officer", exact=True).select_option(label="Grace Okafor (hub_manager)")
    submit(page, "Appoint")
    expect(checklist(page, "Hearing officer appointed")).to_contain_text("Done:")
    expect(checklist(page, "Hearing officer appointed")).to_contain_text("Grace Okafor")

    # 3. The invitation: a date inside the 5 working days' notice is refused, naming the earliest.
    open_task(page, "Invite to a hearing")
    page.get_by_label("Date and time of the hearing (UK time)").fill("2026-03-05T10:00")
    page.get_by_label("Where (or how to join)").fill("Meeting room 2, the Hub")
    page.get_by_role("button", name="Issue the invitation letter").click()
    expect(page.get_by_text("the hearing can be on Monday 9 March 2026 at the earliest")).to_be_visible()
    page.get_by_label("Date and time of the hearing (UK time)").fill("2026-03-10T10:00")
    shot(page, "dp-03-invitation")
    submit(page, "Issue the invitation letter")
    expect(letters(page)).to_contain_text(INVITATION)
    expect(letters(page)).to_contain_text(EVIDENCE_PACK)
    expect(page.locator(".alert-info")).to_contain_text("Current step: Name your companion (Ellie Jones")
    for item in ("Invitation letter issued", "Right to be accompanied offered"):
        expect(checklist(page, item)).to_contain_text("Done:")
    expect(checklist(page, "Notice given")).to_contain_text("5 working days")
    expect(checklist(page, "Hearing held")).to_contain_text("Not yet:")
    shot(page, "dp-04-invited")
    sign_out(page)

    live.run_worker()
    invited = f"Disciplinary hearing on Tuesday 10 March 2026 at 10:00 ({reference})"
    assert mail_to(mail, EMPLOYEE, reference) == {invited: 1}
    assert mail_to(mail, HUB_MANAGER, reference) == {invited: 1}
    [email] = [m for m in mail.inbox.messages if EMPLOYEE in m["To"] and m["Subject"] == invited]
    assert f"http://127.0.0.1/cases/{reference}" in email.get_payload(decode=True).decode()

    # 4. Ellie reads her letters (not HR's working) and names her companion.
    sign_in(page, EMPLOYEE)
    open_case(page, reference)
    expect(letters(page)).to_contain_text(INVITATION)
    expect(page.locator("#case-file")).to_have_count(0)
    expect(page.locator("#case-diagram")).to_have_count(0)
    expect(page.get_by_role("heading", name="Linked cases")).to_have_count(0)
    expect(page.get_by_text("disciplinary record")).to_have_count(0)
    body = page.locator("body")
    for hidden in (WITNESS_NOTES, "Investigating officer", "Ivan Petrov", "Mark Taylor"):
        expect(body).not_to_contain_text(hidden)
    expect(page.get_by_role("heading", name="Notices sent to you")).to_be_visible()
    expect(page.locator("details summary", has_text=invited)).to_be_visible()
    shot(page, "dp-05-employee-case")
    letters(page).get_by_role("link", name=INVITATION).click()
    letter = page.locator("article")
    expect(letter.get_by_role("heading", name=INVITATION)).to_be_visible()
    for words in (
        "Tuesday 10 March 2026 at 10:00 (UK time)",
        "Meeting room 2, the Hub",
        "Hearing officer: Grace Okafor",
    ):
        expect(letter).to_contain_text(words)
    expect(letter).to_contain_text(SMP_5_7)  # the clause, verbatim
    expect(letter).to_contain_text("could be your dismissal without notice (summary dismissal)")
    expect(letter).to_contain_text("a trade union official")
    shot(page, "dp-06-invitation-letter")
    page.get_by_role("link", name="Back to the case").click()
    letters(page).get_by_role("link", name=EVIDENCE_PACK).click()
    expect(page.locator("article")).to_contain_text("six memes mocking Jo")  # the findings, disclosed
    expect(page.locator("article")).to_contain_text(WITNESS_NOTES)  # and the statements
    open_task(page, "Name your companion")
    expect(page.get_by_text("Your companion may put your case")).to_be_visible()
    page.get_by_label("A colleague (a fellow worker)").check()
    page.get_by_label("Your companion's name").fill("Sam Wright")
    submit(page, "Send")
    sign_out(page)

    # 5. Grace holds the hearing: not before its time; then the clock reaches Tuesday 10 March.
    sign_in(page, HUB_MANAGER)
    open_task(page, "Hold the hearing")

    def record_the_hearing():
        page.get_by_label("The employee attended and the hearing was held").check()
        page.get_by_label("Notes of the hearing").fill(
            "Ellie accepted she posted the memes; Sam Wright accompanied her."
        )
        page.get_by_label("The employee's response").fill("She said they were jokes and apologised to Jo.")

    record_the_hearing()
    page.get_by_role("button", name="Record the hearing").click()
    expect(page.get_by_text("record it once it has taken place")).to_be_visible()
    move_clock_to("2026-03-10T11:00")
    record_the_hearing()
    submit(page, "Record the hearing")
    expect(letters(page)).to_contain_text(NOTES_LETTER)
    expect(checklist(page, "Hearing held")).to_contain_text("2026-03-10")

    # 6. The decision: summary dismissal is refused until every gate is met, then recorded.
    open_task(page, "Decide the outcome")
    expect(page.get_by_text("No earlier decided cases on these clauses.")).to_be_visible()
    expect(page.get_by_text("She said they were jokes and apologised to Jo.")).to_be_visible()
    expect(page.get_by_text("They were jokes between friends")).to_be_visible()  # her account, carried over
    page.get_by_label("Gross misconduct [SMP-7.2]", exact=True).check()
    page.locator('input[name="clauses_found"][value="SMP-5.7"]').check()
    page.get_by_label("Summary dismissal for gross misconduct", exact=True).check()
    page.get_by_label("Reasons (these go in the letter)").fill(
        "Six posts over two weeks mocking a colleague, after she asked you to stop: harassment."
    )
    page.get_by_role("button", name="Record the decision").click()
    for refusal in (
        "Cite the clause that told staff this conduct can be gross misconduct (SMP-7.2).",
        "Higgs v Farmor's School",
        "Record why this sanction is proportionate",
        "Give the date the employment ends.",
    ):
        expect(page.get_by_text(refusal).first).to_be_visible()
    page.get_by_label(re.compile("The sanction targets an objectionable manner of expression")).check()
    page.get_by_label("Why it is proportionate").fill(PROPORTIONATE)
    page.get_by_label(re.compile("^Mitigation considered")).fill("Removed when asked; an apology; two years' service.")
    page.get_by_label("I have considered the outcomes of earlier cases on these clauses").check()
    page.get_by_label(re.compile("the clause that says this can be gross misconduct")).select_option("SMP-7.2")
    page.get_by_label("For a dismissal: the date employment ends").fill("2026-03-10")
    shot(page, "dp-07-decision")
    submit(page, "Record the decision")
    expect(page.locator("h1 .badge")).to_have_text("Decided")
    expect(letters(page)).to_contain_text(DISMISSAL)
    for item in ("Proportionality recorded", "Decision in writing", "Appeal offered"):
        expect(checklist(page, item)).to_contain_text("Done:")
    expect(checklist(page, "Appeal offered")).to_contain_text("until 2026-03-17")
    expect(page.locator("ol.timeline")).to_contain_text(PROPORTIONATE)  # the hearing officer's working
    shot(page, "dp-08-decided")
    sign_out(page)
    live.run_worker()

    # 7. The next day Ellie reads the outcome and appeals, in time, with her grounds.
    move_clock_to("2026-03-11T09:30")
    sign_in(page, EMPLOYEE)
    open_case(page, reference)
    expect(body).not_to_contain_text(PROPORTIONATE)  # the decision-maker's working stays with HR
    letters(page).get_by_role("link", name=DISMISSAL).click()
    letter = page.locator("article")
    expect(letter).to_contain_text("Grace Okafor has decided: summary dismissal for gross misconduct.")
    expect(letter).to_contain_text("dismissal for gross misconduct [SMP-7.2], without notice")
    expect(letter).to_contain_text("Your employment ends on Tuesday 10 March 2026")
    expect(letter).to_contain_text("by Tuesday 17 March 2026")
    shot(page, "dp-09-dismissal-letter")
    open_task(page, "Appeal, if you wish")
    expect(page.get_by_text("You may appeal in writing, with your grounds, by 2026-03-17.")).to_be_visible()
    page.get_by_label("I want to appeal").check()
    page.get_by_label("Your grounds of appeal").fill(
        "Dismissal is too harsh: I removed the posts and apologised to Jo."
    )
    submit(page, "Send")
    sign_out(page)

    # 8. HR appoints an appeal officer not involved so far, and invites Ellie to the appeal.
    sign_in(page, HR)
    open_task(page, "Appoint an appeal officer")
    expect(page.get_by_text("Dismissal is too harsh")).to_be_visible()
    choices = offered(page, "Appeal officer")
    assert "Rosa Bennett" in choices, choices
    for involved in ("Grace", "Hana", "Ivan", "Mark", "Ellie"):
        assert involved not in choices, choices
    page.get_by_label("Appeal officer", exact=True).select_option(label="Rosa Bennett (hub_manager)")
    submit(page, "Appoint")
    open_task(page, "Invite to the appeal hearing")
    page.get_by_label("Date and time of the appeal hearing (UK time)").fill("2026-03-19T10:00")
    page.get_by_label("Where (or how to join)").fill("Meeting room 1, the Hub")
    submit(page, "Issue the invitation letter")
    expect(page.locator("h1 .badge")).to_have_text("Under appeal")
    expect(letters(page)).to_contain_text(APPEAL_INVITATION)
    sign_out(page)

    # 9. Ellie names her companion for the appeal.
    sign_in(page, EMPLOYEE)
    open_task(page, "Name your companion for the appeal")
    page.get_by_label("A trade union official").check()
    page.get_by_label("Your companion's name").fill("Una Union")
    submit(page, "Send")
    sign_out(page)

    # 10. Once the appeal hearing has taken place, Rosa varies the dismissal to a final written warning.
    move_clock_to("2026-03-19T11:00")
    sign_in(page, APPEAL_OFFICER)
    open_task(page, "Hear the appeal")
    expect(page.get_by_text("Dismissal is too harsh")).to_be_visible()
    page.get_by_label("The employee attended", exact=True).check()
    page.get_by_label("Notes of the appeal hearing").fill("Ellie and Una Union put her grounds; Jo's statement read.")
    page.get_by_label("Varied to a lesser sanction").check()
    page.get_by_label("If varied: the lesser sanction").select_option(label="Final written warning")
    page.get_by_label("Reasons (these go in the letter)").fill(
        "Prompt removal and a real apology: a final warning suffices."
    )
    shot(page, "dp-10-appeal-hearing")
    submit(page, "Record the appeal's outcome")
    expect(page.locator("h1 .badge")).to_have_text("Appeal decided")
    expect(summary(page, "Outcome")).to_have_text(
        "Summary dismissal for gross misconduct; on appeal: Final written warning"
    )
    expect(letters(page)).to_contain_text(APPEAL_OUTCOME)
    sign_out(page)
    live.run_worker()

    # 11. HR sees a live final written warning from this case on Ellie's record, the dismissal varied.
    sign_in(page, HR)
    open_case(page, reference)
    page.get_by_role("link", name="Ellie Jones's disciplinary record").click()
    expect(page.get_by_role("heading", level=1, name="Ellie Jones")).to_be_visible()
    record = page.url
    warnings = page.locator("tbody tr")
    expect(warnings).to_have_count(1)
    expect(warnings.locator("td")).to_have_text(
        ["Final written warning", reference, "2026-03-10", "2027-03-09", "Live"]
    )
    expect(page.locator("li", has=page.get_by_role("link", name=reference))).to_have_text(
        f"{reference} Disciplinary: Ellie Jones (appeal_decided): "
        "Summary dismissal for gross misconduct; on appeal: Final written warning"
    )
    shot(page, "dp-11-record")
    sign_out(page)

    # 12. Ellie reads the appeal's outcome; her record is HR's, not hers.
    sign_in(page, EMPLOYEE)
    open_case(page, reference)
    letters(page).get_by_role("link", name=APPEAL_OUTCOME).click()
    letter = page.locator("article")
    expect(letter).to_contain_text("Outcome: Varied to a lesser sanction: final written warning.")
    expect(letter).to_contain_text("until the end of Tuesday 9 March 2027")
    expect(letter).to_contain_text("you are reinstated")
    shot(page, "dp-12-appeal-outcome-letter")
    assert page.goto(record).status == 403
    sign_out(page)

    # The employee had each letter's email once, however often the worker ran.
    assert mail_to(mail, EMPLOYEE, reference) == {
        invited: 1,
        f"Notes of your disciplinary hearing ({reference})": 1,
        f"The outcome of your disciplinary hearing ({reference})": 1,
        f"Appeal hearing on Thursday 19 March 2026 at 10:00 ({reference})": 1,
        f"The outcome of your appeal ({reference})": 1,
    }
    assert mail_to(mail, APPEAL_OFFICER, reference) == {
        f"Appeal hearing on Thursday 19 March 2026 at 10:00 ({reference})": 1
    }
