"""The WeasyPrint edge: official documents as PDF, in the layout of Decree 30/2020/NĐ-CP.

Nothing here reads the database: `documents.document_context` gathers what the documents
print, the templates under templates/awards/pdf/ lay it out, and this module turns HTML into
PDF. Fonts are the vendored Tinos files (static/fonts/, a Times New Roman-compatible serif
with every Vietnamese letter; see LICENSE-Tinos.txt), declared weight by weight with file://
URLs; the URL fetcher refuses anything else, so rendering never touches the network and never
falls back to a system font for a missing weight.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from .signing import PT_PER_PX, Box

# The id of the space between the signer's title and name (templates/awards/pdf/base.html).
SIGNATURE_ANCHOR = "signature-box"

# WeasyPrint reports every layout step at INFO; the root logger is at INFO in production.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FAMILY = "Tinos"
# (font-weight, font-style) → file
FONT_FILES = {
    ("normal", "normal"): "Tinos-Regular.ttf",
    ("bold", "normal"): "Tinos-Bold.ttf",
    ("normal", "italic"): "Tinos-Italic.ttf",
    ("bold", "italic"): "Tinos-BoldItalic.ttf",
}


def font_face_css() -> str:
    rules = []
    for (weight, style), name in FONT_FILES.items():
        uri = (FONT_DIR / name).resolve().as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{uri}") format("truetype"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


class LocalFontsOnly(URLFetcher):
    """Serve the vendored font files; refuse every other URL (no network, no stray files)."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, timeout=1)

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(url2pathname(parsed.path)).resolve()
            if path.parent == FONT_DIR.resolve() and path.name in FONT_FILES.values():
                return super().fetch(url, headers)
        raise ValueError(f"Tài nguyên ngoài bị chặn khi tạo PDF: {url}")


def _layout(template_name: str, context: dict):
    html = render_to_string(template_name, {**context, "font_faces": font_face_css()})
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=LocalFontsOnly()).render()


def render_pdf(template_name: str, context: dict) -> bytes:
    return _layout(template_name, context).write_pdf()


def memo_pdf(context: dict) -> bytes:
    """Tờ trình: the collection department proposes the awards to the director."""
    return render_pdf("awards/pdf/memo.html", context)


def decision_pdf(context: dict) -> bytes:
    """Quyết định khen thưởng, with its annex listing the collectives and individuals."""
    return render_pdf("awards/pdf/decision.html", context)


def summary_pdf(context: dict) -> bytes:
    """Báo cáo tổng kết: the campaign summary (awards.summary.document_context)."""
    return render_pdf("awards/pdf/summary.html", context)


def decision_pdf_with_signature_box(context: dict) -> tuple[bytes, Box]:
    """The decision, laid out once, and where on it the director's signature goes: the
    `#signature-box` between the signer's title and name, converted from WeasyPrint's CSS
    pixels (from the top-left) to PDF points (from the bottom-left)."""
    document = _layout("awards/pdf/decision.html", context)
    for index, page in enumerate(document.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[SIGNATURE_ANCHOR]
            page_top = page.height * PT_PER_PX
            box = Box(index, x1 * PT_PER_PX, page_top - y2 * PT_PER_PX,
                      x2 * PT_PER_PX, page_top - y1 * PT_PER_PX)
            return document.write_pdf(), box
    raise LookupError("The decision template has no #signature-box.")
