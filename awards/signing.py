"""Decisions as signed electronic documents (Decree 30/2020/NĐ-CP, Appendix I), with pyHanko.

The decision and its annex are one file (the Appendix lets the office sign a document and the
attachments in the same file once, with no separate signature on the attachment). Two PAdES
signatures, each a visible signature field:

1. the director's, whose appearance is the image of their handwritten signature (blue,
   transparent PNG) in the space between the signer's title and name;
2. the office's, whose appearance is the image of its seal (red, transparent PNG, real size)
   covering about the left third of the director's signature image.

PAdES-B-T (a timestamp from `SIGNING_TSA_URL`) when a timestamp server is configured, PAdES-B-B
otherwise. Keys are configuration, never in the repository: a PKCS#12 file per signer and its
password (docs/signing.md). Images are uploaded by the administrator (`SigningAppearance`).
Without a configured certificate `signers()` is None and the decision is issued unsigned.
"""

from __future__ import annotations

import io
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

# pyHanko warns at every signature that an image fitted to its box exceeds it by a rounding
# error (1e-14 pt).
logging.getLogger("pyhanko.pdf_utils.layout").setLevel(logging.ERROR)

# pyHanko's on-page unit is the PDF point; WeasyPrint lays out in CSS pixels (96 per inch).
PT_PER_PX = 72 / 96
PT_PER_MM = 72 / 25.4

# The vendored Times-compatible font the documents use (awards.pdf), for text appearances.
TEXT_FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "Tinos-Regular.ttf"

DIRECTOR = "director"
OFFICE = "office"
# The fields carry ASCII names (some readers show them); the roles in Vietnamese for pages.
FIELD_NAMES = {DIRECTOR: "ChuKyNguoiKy", OFFICE: "ChuKyCoQuan"}
ROLE_LABELS = {DIRECTOR: "Người ký (Giám đốc)", OFFICE: "Cơ quan ban hành (con dấu)"}


def outside_any_event_loop(function, *args):
    """Runs one of pyHanko's synchronous calls, which start their own event loop with
    asyncio.run(): that refuses to run in a thread whose loop is already running (an ASGI
    server, a browser driver in the same process), so the call gets a thread of its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


@dataclass(frozen=True)
class Box:
    """Where the signature image goes: page index and a rectangle in points from the page's
    bottom-left corner, as PDF counts."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1


def _read_private(path: Path) -> str:
    """A password kept in a file only the app can read; a file others can read is refused."""
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(f"Tệp mật khẩu {path} phải chỉ ứng dụng đọc được (chmod 600).")
    return path.read_text(encoding="utf-8").strip()


def _p12_path(role: str) -> Path | None:
    configured = getattr(settings, f"SIGNING_{role.upper()}_P12")
    if configured:
        return Path(configured)
    # Convention: a certificate dropped into the private directory (load_demo puts the demo's
    # there) is used without further configuration.
    default = Path(settings.SIGNING_PRIVATE_DIR) / f"{role}.p12"
    return default if default.exists() else None


def _password(role: str) -> bytes:
    """From the environment, else from the configured password file, else from
    <role>.password beside the certificate in the private directory."""
    setting = f"SIGNING_{role.upper()}_P12_PASSWORD"
    value = getattr(settings, setting)
    if not value:
        file = getattr(settings, f"{setting}_FILE") or Path(settings.SIGNING_PRIVATE_DIR) / f"{role}.password"
        file = Path(file)
        if getattr(settings, f"{setting}_FILE") or file.exists():
            value = _read_private(file)
    return value.encode("utf-8")


def signers() -> dict | None:
    """The director's and the office's pyHanko signers from their PKCS#12 files, or None when
    either is not configured (the decision is then issued unsigned)."""
    from pyhanko.sign import signers as pyhanko_signers

    paths = {role: _p12_path(role) for role in (DIRECTOR, OFFICE)}
    if not all(paths.values()):
        return None
    result = {}
    for role, path in paths.items():
        signer = pyhanko_signers.SimpleSigner.load_pkcs12(str(path), passphrase=_password(role) or None)
        if signer is None:
            raise ImproperlyConfigured(
                f"Không đọc được chứng thư số trong {path}: sai mật khẩu hoặc tệp hỏng."
            )
        result[role] = signer
    return result


def trust_roots() -> list:
    """The certificates a signature must chain to (PEM or DER files in `SIGNING_TRUST_ROOTS`,
    separated by the OS path separator, else trust-roots.pem in the private directory)."""
    from pyhanko.keys import load_certs_from_pemder

    configured = [p for p in (settings.SIGNING_TRUST_ROOTS or "").split(os.pathsep) if p]
    if not configured:
        default = Path(settings.SIGNING_PRIVATE_DIR) / "trust-roots.pem"
        configured = [str(default)] if default.exists() else []
    return list(load_certs_from_pemder(configured)) if configured else []


def _timestamper():
    from pyhanko.sign.timestamps import HTTPTimeStamper

    url = settings.SIGNING_TSA_URL
    return HTTPTimeStamper(url) if url else None


def _image_style(png: bytes):
    """A signature appearance that is just the image, scaled into the box, no border, opaque
    (the PNG's own transparency lets the text under it show)."""
    from PIL import Image
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle

    image = Image.open(io.BytesIO(png))
    image.load()
    return StaticStampStyle(
        background=PdfImage(image),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(0, 0, 0, 0),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


def signing_time_text(moment) -> str:
    """Appendix I's form of the signing time: hh:mm:ss dd/mm/yyyy +07:00."""
    offset = moment.strftime("%z")
    return f"{moment:%H:%M:%S %d/%m/%Y} {offset[:3]}:{offset[3:]}"


def _text_png(text: str) -> bytes:
    """Without an uploaded image, the signature shows the signer and the time as text, drawn
    in the documents' Times-compatible font (the PDF base fonts have no Vietnamese letters),
    black, on a transparent ground, at 12 px per mm for a 50 × 12 mm box."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (600, 144), (0, 0, 0, 0))
    ImageDraw.Draw(image).multiline_text(
        (300, 72), text, font=ImageFont.truetype(str(TEXT_FONT), 44), fill=(0, 0, 0, 255),
        anchor="mm", align="center", spacing=10,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seal_box(signature: Box, diameter_mm: float) -> Box:
    """Appendix I: the seal, at real size, covers about the left third of the signer's
    signature image; its centre sits on the image's middle line."""
    size = diameter_mm * PT_PER_MM
    right = signature.x1 + signature.width / 3
    middle = (signature.y1 + signature.y2) / 2
    return Box(signature.page, right - size, middle - size / 2, right, middle + size / 2)


def _sign_once(pdf: bytes, *, role: str, signer, box: Box, png: bytes | None, reason: str,
               location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign import signers as pyhanko_signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(
        FIELD_NAMES[role], on_page=box.page, box=(box.x1, box.y1, box.x2, box.y2),
    ))
    meta = pyhanko_signers.PdfSignatureMetadata(
        field_name=FIELD_NAMES[role], md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location or None,
    )
    if not png:
        name = signer.signing_cert.subject.native.get("common_name", "")
        png = _text_png(f"Ký bởi: {name}\nThời gian ký: {signing_time_text(timezone.localtime())}")
    style = _image_style(png)
    pdf_signer = pyhanko_signers.PdfSigner(meta, signer=signer, timestamper=_timestamper(),
                                           stamp_style=style)
    out = outside_any_event_loop(pdf_signer.sign_pdf, writer)
    return out.getvalue()


@dataclass(frozen=True)
class Signed:
    content: bytes
    level: str  # "PAdES-B-T" or "PAdES-B-B"
    signers: list[dict]  # [{"role", "subject"}] in signing order


def sign_decision(pdf: bytes, *, box: Box, keys: dict, signature_png: bytes | None,
                  seal_png: bytes | None, seal_diameter_mm: float, reason: str,
                  location: str) -> Signed:
    """The director signs first (signature image in `box`), then the office (seal image over
    the signature's left third)."""
    signed = _sign_once(pdf, role=DIRECTOR, signer=keys[DIRECTOR], box=box, png=signature_png,
                        reason=reason, location=location)
    signed = _sign_once(signed, role=OFFICE, signer=keys[OFFICE], box=seal_box(box, seal_diameter_mm),
                        png=seal_png, reason=reason, location=location)
    return Signed(
        content=signed,
        level="PAdES-B-T" if settings.SIGNING_TSA_URL else "PAdES-B-B",
        signers=[{"role": role, "subject": keys[role].signing_cert.subject.human_friendly}
                 for role in (DIRECTOR, OFFICE)],
    )
