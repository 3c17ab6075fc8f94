"""Every write of the awards app, by concern:

- `workflow`: submit, return, appraise, approve (within the budget);
- `payments`: finance's payment of each collective and person of a decided dossier;
- `creation`: the draft dossier made by a roll-up, cancelled by a reopen;
- `proposal`: the compiler's nominations and candidates (R13, R14);
- `individuals`: the individuals proposed with a prized collective (R15).

Permissions: `awards.access.require_action`, called first by every public function.
Lock order, to avoid deadlocks: period (roll-up, reopen) → campaign (approval) → dossier → line.
Callers use the names below (`from awards import services`); each is defined once, in its part.
"""

from .creation import dossier_cancel_for_reopen, dossier_create_for_snapshot
from .individuals import ACHIEVEMENT_MAX, individual_add, individual_remove, individual_update
from .payments import payment_cancel, payments_record
from .proposal import (
    candidate_drop,
    candidate_restore,
    nomination_create,
    nomination_move,
    nomination_reorder,
    proposal_for,
)
from .workflow import (
    TRANSITIONS,
    Transition,
    budget_check,
    dossier_appraise,
    dossier_approve,
    dossier_return,
    dossier_submit,
    money,
    validate_decision_number,
)

__all__ = [
    "ACHIEVEMENT_MAX", "TRANSITIONS", "Transition", "budget_check", "candidate_drop",
    "candidate_restore", "dossier_appraise", "dossier_approve", "dossier_cancel_for_reopen",
    "dossier_create_for_snapshot", "dossier_return", "dossier_submit",
    "individual_add", "individual_remove", "individual_update", "money", "nomination_create",
    "nomination_move", "nomination_reorder", "payment_cancel", "payments_record", "proposal_for",
    "validate_decision_number",
]
