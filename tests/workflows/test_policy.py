"""The policy's clauses: each one classified, only rules offered as breached,
and every clause listed with what in the service acts on it, so a clause
with nothing behind it is visible here."""

from __future__ import annotations

import pytest

from workflows import policy
from workflows.engine import registry
from workflows.procedures.breach.vocabulary import alleged_clauses
from workflows.procedures.monitoring.vocabulary import breach_choices
from workflows.procedures.takedown.opening import clause_choices

NOT_RULES = {"SMP-3.2", "SMP-5.9", "SMP-5.11", "SMP-5.12", "SMP-7.1", "SMP-7.2", *(f"SMP-6.{n}" for n in range(1, 7))}

# Clauses nothing acts on yet: the procedures the policy's other clauses need
# (the open issue "The policy's other clauses") take them off this list.
NOTHING_BEHIND_YET: dict[str, str] = {}


def sub_clauses() -> list[policy.Clause]:
    return [c for c in sorted(policy.clauses().values(), key=lambda c: c.sort_key) if "." in c.id]


def test_every_clause_of_the_policy_is_classified_and_nothing_else_is():
    assert {c.id for c in sub_clauses()} == set(policy.KINDS)


@pytest.mark.parametrize(
    "choices",
    [policy.rule_choices, alleged_clauses, clause_choices, breach_choices],
    ids=["rules", "breach", "takedown", "monitoring"],
)
def test_only_rules_are_offered_as_breached(choices):
    offered = {cid for cid, _label in choices()}
    assert offered and not offered & NOT_RULES
    assert all(policy.clause(cid).kind is policy.Kind.RULE for cid in offered)


def test_every_clause_has_something_behind_it_or_is_known_to_lack_it():
    acted_on = {c.id: registry.acting_on(c.id) for c in sub_clauses()}
    lacking = {cid for cid, acting in acted_on.items() if not acting and policy.clause(cid).kind != policy.Kind.ADVICE}
    report = "\n".join(f"{cid}: {acting or 'nothing'}" for cid, acting in acted_on.items())
    assert lacking == set(NOTHING_BEHIND_YET), report
    assert ("Takedown request", "asks the person to remove the content, and follows up") in acted_on["SMP-5.8"]
    assert [label for label, _how in acted_on["SMP-7.2"]] == ["Disciplinary procedure"]
    assert [label for label, _how in acted_on["SMP-6.6"]] == ["Monitoring finding"]
    assert "Monitoring finding" in [label for label, _how in acted_on["SMP-3.1"]]
    for n in range(1, 5):  # who speaks for BCW Hub: the campaign request weighs each
        assert "Campaign permission" in [label for label, _how in acted_on[f"SMP-4.{n}"]], f"SMP-4.{n}"
