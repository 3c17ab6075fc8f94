"""A throw-away certificate authority, certificates and images, made at run time for the demo
(and for tests): so a newcomer sees a signed decision without any key in the repository.
Everything here says DEMO: the certificates' subjects and the images.

A real office installs its own certificates and uploads its own images (docs/signing.md).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO = "DEMO"
FONT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "Tinos-Bold.ttf"
SIGNATURE_BLUE = (0, 45, 160)
SEAL_RED = (210, 20, 30)


@dataclass(frozen=True)
class Issued:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate


def _name(common_name: str, organisation: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                  x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.insert(1, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(attributes)


def _build(subject: x509.Name, key, issuer: Issued | None, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650 if ca else 1825))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    return builder.sign(issuer.key if issuer else key, hashes.SHA256())


def make_ca(common_name: str, organisation: str = "") -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    return Issued(key, _build(_name(common_name, organisation), key, None, ca=True))


def make_signer(ca: Issued, common_name: str, organisation: str = "") -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    return Issued(key, _build(_name(common_name, organisation), key, ca, ca=False))


def pkcs12_bytes(signer: Issued, ca: Issued, password: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"signer", signer.key, signer.cert, [ca.cert],
        serialization.BestAvailableEncryption(password),
    )


def _write_private(path: Path, content: bytes) -> None:
    """Created readable by the app's user only, before a byte is written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(content)


def install(directory: Path, *, ca: Issued, director: Issued, office: Issued) -> None:
    """Write the two PKCS#12 files, their passwords and the trust root where
    `awards.signing` looks for them by default."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    for role, issued in (("director", director), ("office", office)):
        password = secrets.token_urlsafe(18)
        _write_private(directory / f"{role}.p12", pkcs12_bytes(issued, ca, password.encode()))
        _write_private(directory / f"{role}.password", password.encode())
    _write_private(directory / "trust-roots.pem", ca.cert.public_bytes(serialization.Encoding.PEM))


def demo_install(directory: Path, *, director_name: str, office_name: str) -> bool:
    """The demo's CA and certificates, unless certificates are already there (the demo's from
    an earlier run, or a real office's: never replaced). True when it wrote them."""
    if (directory / "director.p12").exists() or (directory / "office.p12").exists():
        return False
    ca = make_ca(f"{DEMO} CA thử nghiệm (không có giá trị pháp lý)", f"{DEMO}")
    install(
        directory, ca=ca,
        director=make_signer(ca, f"{director_name} ({DEMO})", f"{office_name} ({DEMO})"),
        office=make_signer(ca, f"{office_name} ({DEMO})", f"{office_name} ({DEMO})"),
    )
    return True


# --- images, drawn at run time -----------------------------------------------------------------

def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def signature_png() -> bytes:
    """A handwritten-looking stroke in blue ink on a transparent ground, 50 × 24 mm at 12 px/mm,
    with DEMO written small beneath it."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 600, 288
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = []
    for step in range(400):
        t = step / 399
        x = 60 + 480 * t
        y = 140 - 60 * math.sin(t * 9.5) * (1 - t * 0.6) - 30 * math.sin(t * 23)
        points.append((x, y))
    draw.line(points, fill=(*SIGNATURE_BLUE, 255), width=6, joint="curve")
    draw.line([(110, 205), (470, 185)], fill=(*SIGNATURE_BLUE, 255), width=4)
    draw.text((width / 2, 255), DEMO, font=ImageFont.truetype(str(FONT), 34),
              fill=(*SIGNATURE_BLUE, 200), anchor="mm")
    return _png(image)


def seal_png(ring_text: str) -> bytes:
    """A round red seal on a transparent ground: two rings, the office's name around, a star
    and DEMO in the middle (600 px; printed at the seal's real diameter)."""
    from PIL import Image, ImageDraw, ImageFont

    size = 600
    centre = size / 2
    red = (*SEAL_RED, 235)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    draw.ellipse((150, 150, size - 150, size - 150), outline=red, width=6)
    star = [(centre + r * math.sin(a), centre - 40 - r * math.cos(a))
            for i in range(10) for a, r in [(i * math.pi / 5, 70 if i % 2 == 0 else 28)]]
    draw.polygon(star, fill=red)
    draw.text((centre, centre + 75), DEMO, font=ImageFont.truetype(str(FONT), 64), fill=red, anchor="mm")
    # The name around the ring, letter by letter, from the lower left over the top.
    font = ImageFont.truetype(str(FONT), 40)
    text = ring_text.upper()
    span = math.radians(300)
    for index, letter in enumerate(text):
        angle = -span / 2 + span * (index + 0.5) / len(text)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), letter, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.BICUBIC)
        radius = 222
        x = centre + radius * math.sin(angle) - 30
        y = centre - radius * math.cos(angle) - 30
        image.alpha_composite(glyph, (round(x), round(y)))
    return _png(image)
