"""Reads of the scoring app that depend on who is reading."""

from campaign.services import MANAGER_ROLES
from units.roles import has_role, user_unit

from . import explain

HIDDEN_DRAFT = f"{explain.DRAFT_REPORT}; số liệu chỉ đơn vị và các phòng quản lý xem được"


def _hidden_draft(row: dict) -> dict:
    return {
        "unit": row["unit"], "name": row.get("name", row["unit"]), "kind": row["kind"],
        "report": row["report"], "eligible": False, "rank": None,
        "criteria": dict.fromkeys(row["criteria"]),  # not known to this reader: None, shown "–"
        "metrics": dict.fromkeys(row["metrics"]), "schemes": [], "explanation": HIDDEN_DRAFT,
    }


def document_seen_by(user, document: dict | None) -> dict | None:
    """The standings as `user` may see them. A draft belongs to its unit until it is submitted
    (a staff member reaches only their own unit's figures): other units' staff see it listed as
    a draft, without its figures; the managers and the compiler see everything. Drafts are never
    ranked, so nothing else in the document depends on their figures."""
    if document is None or has_role(user, *MANAGER_ROLES):  # superusers have every role
        return document
    own = user_unit(user)
    own_code = own.code if own is not None else None
    standings = [
        _hidden_draft(row) if row["report"] == "draft" and row["unit"] != own_code else row
        for row in document["standings"]
    ]
    return {**document, "standings": standings}
