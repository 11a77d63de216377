"""The words of a trustee's referral: trustees answer to the board under
the governing document, never to an HR sanction."""

from __future__ import annotations

BOARD_DECISIONS = {
    "no_action": "No action",
    "informal_resolution": "Informal resolution",
    "step_down": "The board asks the trustee to step down",
    "removal": "Removal under the governing document's procedure",
}
