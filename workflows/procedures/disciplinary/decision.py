"""The decision and the appeal, with the Code's steps as gates: no sanction
without a recorded proportionality assessment, no dismissal with notice
without a live final written warning (or gross misconduct), no summary
dismissal unless gross misconduct is found under a clause that says so,
after the full procedure, by someone with the authority to dismiss."""

from __future__ import annotations

from datetime import date

from marshmallow import fields

from workflows.engine import clock, queries, workdays
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.registry import Derived
from workflows.engine.stepdata import (
    StepData,
    choice,
    choices,
    day,
    optional_choice,
    optional_flag,
    optional_number,
    text,
)
from workflows.procedures.breach.vocabulary import alleged_clauses

from . import warning_register as register
from .hearing import not_before
from .vocabulary import (
    APPEAL_CHOICES,
    APPEAL_OUTCOMES,
    DISMISSALS,
    FINDINGS,
    GROSS_MISCONDUCT_CLAUSES,
    SANCTIONS,
    WARNINGS,
)

LADDER = list(SANCTIONS)


class Decision(StepData):
    misconduct_found = choice(FINDINGS, "Say what the hearing found.")
    clauses_found = choices(cid for cid, _label in alleged_clauses())
    sanction = choice(SANCTIONS, "Choose the outcome.")
    decision_reasons = text(20000, required=True, min_length=20)
    targets_manner = optional_flag()
    proportionality_reasons = text(8000)
    mitigation_considered = text(8000)
    consistency_considered = optional_flag()
    serious_first_offence_reason = text(4000)
    gross_misconduct_clause = optional_choice(GROSS_MISCONDUCT_CLAUSES)
    dismissal_on = day("Give the dismissal date as day, month and year.", required=False)
    notice_weeks = optional_number(1, 12)
    pay_in_lieu = optional_flag()


class Appeal(StepData):
    appeal_choice = choice(APPEAL_CHOICES, "Say whether you want to appeal.")
    appeal_grounds = text(20000)
    required_when = {"appeal_grounds": ("appeal_choice", ("appeal",), "Give the grounds of your appeal.")}


class LateAppealDecision(StepData):
    late_appeal_accepted = fields.Boolean(
        required=True,
        error_messages={
            "required": "Say whether the late appeal is accepted.",
            "null": "Say whether the late appeal is accepted.",
        },
    )
    late_appeal_reasons = text(4000, required=True, min_length=10)


class AppealHearing(StepData):
    appeal_attendance = choice({"attended": "", "absent": ""}, "Say whether the employee attended.")
    appeal_notes = text(40000, required="Record the notes of the appeal hearing.")
    appeal_outcome = choice(APPEAL_OUTCOMES, "Choose the appeal's outcome.")
    varied_sanction = optional_choice(SANCTIONS)
    appeal_reasons = text(20000, required=True, min_length=20)
    required_when = {"varied_sanction": ("appeal_outcome", ("varied",), "Choose the lesser sanction.")}


def check_decision(ctx: Context, case, user, data: dict) -> Derived:
    known, sanction = queries.case_data(case), data["sanction"]
    problems: dict[str, list[str]] = {}
    for field, message in _gates(known, user, data):
        problems.setdefault(field, []).append(message)
    if problems:
        raise InvalidInput(problems)
    return Derived(data=_what_follows(known, user, data, sanction))


def _gates(known: dict, user, data: dict):
    """Each gate the decision fails: (field, message)."""
    sanction, found = data["sanction"], data["misconduct_found"]
    if found == "none" and sanction != "no_action":
        yield "sanction", "No misconduct was found, so the only outcome is no action."
    if sanction == "no_action":
        return
    yield from _proportionality(data)
    if not data["clauses_found"]:
        yield "clauses_found", "Name the clauses found breached."
    live = known.get("live_warnings") or []
    if sanction == "final_written" and not live and not data["serious_first_offence_reason"]:
        yield (
            "serious_first_offence_reason",
            "There is no live warning: a final written warning for a first "
            "offence needs a recorded reason why it is that serious.",
        )
    if sanction == "dismissal_notice" and not known.get("has_live_final_warning") and found != "gross_misconduct":
        yield (
            "sanction",
            "Dismissal with notice needs a live final written warning (there is none) or a "
            "finding of gross misconduct.",
        )
    if sanction == "summary_dismissal":
        yield from _summary_dismissal(known, user, data)
    if sanction in DISMISSALS:
        yield from _dismissal_terms(data, summary=sanction == "summary_dismissal")


def _proportionality(data: dict):
    if not data["targets_manner"]:
        yield (
            "targets_manner",
            "Confirm that the sanction targets an objectionable manner of expression, "
            "not the belief or view itself (Higgs v Farmor's School [2025] EWCA Civ 109).",
        )
    if len(data["proportionality_reasons"]) < 20:
        yield "proportionality_reasons", "Record why this sanction is proportionate (at least 20 characters)."
    if not data["mitigation_considered"]:
        yield (
            "mitigation_considered",
            "Record the mitigation considered: prompt removal, an apology, length of service, their record.",
        )
    if not data["consistency_considered"]:
        yield "consistency_considered", "Confirm you have considered the outcomes of earlier cases on these clauses."


def _summary_dismissal(known: dict, user, data: dict):
    if data["misconduct_found"] != "gross_misconduct":
        yield "misconduct_found", "Summary dismissal needs a finding of gross misconduct."
    if data["gross_misconduct_clause"] not in GROSS_MISCONDUCT_CLAUSES:
        yield (
            "gross_misconduct_clause",
            "Cite the clause that told staff this conduct can be gross misconduct "
            f"({', '.join(GROSS_MISCONDUCT_CLAUSES)}).",
        )
    if not (known.get("invitation_issued_at") and known.get("notice_respected")):
        yield "sanction", "The full procedure has not been followed: no invitation letter with notice was issued."
    if not (known.get("hearing_held_on") or known.get("proceeded_on_evidence")):
        yield (
            "sanction",
            "The full procedure has not been followed: no hearing was held, and HR did not decide "
            "to proceed on the evidence after repeated non-attendance.",
        )
    if not user.has_role(known["may_dismiss"]):
        yield (
            "sanction",
            f"{user.name} does not hold the authority to dismiss ({known['may_dismiss'].replace('_', ' ')}).",
        )


def _dismissal_terms(data: dict, summary: bool):
    if not data["dismissal_on"]:
        yield "dismissal_on", "Give the date the employment ends."
    elif date.fromisoformat(data["dismissal_on"]) < workdays.today():
        yield "dismissal_on", "The dismissal date cannot be in the past."
    if not summary and not (data["notice_weeks"] or data["pay_in_lieu"]):
        yield "notice_weeks", "Give the notice in weeks, or pay in lieu of notice."


def _what_follows(known: dict, user, data: dict, sanction: str) -> dict:
    today = workdays.today()
    deadline = workdays.add_working_days(today, known["appeal_days"])
    closes = workdays.add_working_days(deadline, known["late_appeal_days"])
    months = {"first_written": known["first_warning_months"], "final_written": known["final_warning_months"]}
    expires = register.expiry(today, months[sanction]).isoformat() if sanction in WARNINGS else None
    return {
        "decided_on": today.isoformat(),
        "decided_by_name": user.name,
        "warning_expires_on": expires,
        "appeal_deadline_at": workdays.end_of(deadline).isoformat(),
        "appeal_deadline_on": deadline.isoformat(),
        "appeal_closes_at": workdays.end_of(closes).isoformat(),
    }


def record_warning(ctx: Context, case, user, data: dict) -> None:
    if data["sanction"] in WARNINGS:
        known = queries.case_data(case)
        months = known["first_warning_months" if data["sanction"] == "first_written" else "final_warning_months"]
        register.issue(
            ctx.db, case, data["sanction"], date.fromisoformat(data["decided_on"]), months, data["decision_reasons"]
        )


def check_appeal(ctx: Context, case, user, data: dict) -> Derived:
    known = queries.case_data(case)
    late = data["appeal_choice"] == "appeal" and clock.now().isoformat() > known["appeal_deadline_at"]
    return Derived(data={"appeal_late": late, "appealed_on": workdays.today().isoformat()})


def check_appeal_hearing(ctx: Context, case, user, data: dict) -> Derived:
    known = queries.case_data(case)
    not_before(known["appeal_hearing_at"], "appeal hearing", "appeal_attendance")
    first, outcome = known["sanction"], data["appeal_outcome"]
    if outcome == "varied" and data["varied_sanction"] and LADDER.index(data["varied_sanction"]) >= LADDER.index(first):
        raise InvalidInput(
            f"An appeal may only vary the outcome to a lesser sanction than {SANCTIONS[first].lower()}.",
            "varied_sanction",
        )
    final = {"upheld": first, "overturned": "no_action", "varied": data["varied_sanction"]}[outcome]
    return Derived(
        data={
            "final_sanction": final,
            "reinstated": first in DISMISSALS and final not in DISMISSALS,
            "appeal_decided_on": workdays.today().isoformat(),
        }
    )


def apply_appeal(ctx: Context, case, user, data: dict) -> None:
    """The register follows the appeal: a withdrawn warning is revoked, a
    varied one replaced (counting from the first decision's date)."""
    known = queries.case_data(case)
    if data["appeal_outcome"] == "upheld":
        return
    standing = register.issued_by(ctx.db, case)
    if standing is not None:
        register.revoke(
            ctx.db, standing, workdays.today(), f"Appeal {data['appeal_outcome']}: {data['appeal_reasons']}"
        )
    final = data["final_sanction"]
    if final in WARNINGS:
        months = known["first_warning_months" if final == "first_written" else "final_warning_months"]
        register.issue(
            ctx.db,
            case,
            final,
            date.fromisoformat(known["decided_on"]),
            months,
            f"Varied on appeal: {data['appeal_reasons']}",
            replaces=standing,
        )
