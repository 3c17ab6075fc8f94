
from django import template

from awards.models import Dossier
from awards.words import amount_in_words
from scoring.models import applied_levels
from units.templatetags.vn import vn_percent_as_written

register = template.Library()

STATE_COLOURS = {
    Dossier.State.DRAFT: "secondary",
    Dossier.State.SUBMITTED: "info",
    Dossier.State.RETURNED: "warning",
    Dossier.State.APPRAISED: "primary",
    Dossier.State.APPROVED: "success",
    Dossier.State.PAID: "dark",
    Dossier.State.CANCELLED: "light",
}


@register.filter
def state_colour(state: str) -> str:
    return STATE_COLOURS.get(state, "secondary")


@register.filter
def state_label(state: str) -> str:
    return Dossier.State(state).label if state in Dossier.State.values else state


@register.filter
def prize_levels(applied_settings: dict) -> list[dict]:
    """A snapshot's applied prize levels in ladder order (scoring.models.applied_levels)."""
    return applied_levels(applied_settings or {})


@register.filter
def in_words(amount) -> str:
    return amount_in_words(int(amount or 0))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent_text(value) -> str:
    """A snapshot metric ("85.4", "1234.5", "81") as "85,4 %", "1.234,5 %", "81 %"."""
    return vn_percent_as_written(value)


@register.filter
def lower_first(text) -> str:
    """"Phong trào thi đua … BHXH" → "phong trào thi đua … BHXH" (acronyms kept)."""
    text = str(text or "")
    return text[:1].lower() + text[1:]


@register.filter
def head_of(unit_name) -> str:
    """"Phòng Quản lý thu …" → "Trưởng phòng Quản lý thu …" (the head, as documents name them)."""
    name = str(unit_name or "")
    if name.startswith("Phòng "):
        return "Trưởng phòng " + name[len("Phòng "):]
    return "Thủ trưởng " + name
