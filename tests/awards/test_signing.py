"""Decisions issued as signed electronic documents: signed once at approval with a CA the test
builds with `cryptography`, stored with its SHA-256, served byte for byte, verified by pyHanko's
validator; a tampered copy fails."""

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from awards import pki, services, verification
from awards.models import Dossier, DossierEvent, IssuedDecision, SigningAppearance
from units.models import Organisation, Person

from .conftest import advance, full_dossier
from .test_pdf import pdf_text, single_spaced

State = Dossier.State
DIRECTOR_NAME = "Trần Mạnh Toàn"
OFFICE_NAME = "Bảo hiểm xã hội tỉnh Thử Nghiệm"


@pytest.fixture
def office(db):
    return Organisation.objects.create(
        name=OFFICE_NAME, short_name="BHXH tỉnh Thử Nghiệm", parent="Bảo hiểm xã hội Việt Nam",
        place="Thử Nghiệm", document_symbol="BHXH", head_title="Giám đốc",
    )


@pytest.fixture
def ca(settings, tmp_path, office):
    """The office's keys, made here: a root, the director's and the office's certificates,
    installed where the app looks for them; the images uploaded as the administrator would."""
    settings.SIGNING_PRIVATE_DIR = tmp_path / "private"
    root = pki.make_ca("CA thử nghiệm của bộ kiểm thử")
    pki.install(settings.SIGNING_PRIVATE_DIR, ca=root,
                director=pki.make_signer(root, DIRECTOR_NAME, OFFICE_NAME),
                office=pki.make_signer(root, OFFICE_NAME, OFFICE_NAME))
    appearance = SigningAppearance()
    appearance.signature_image.save("chu-ky.png", ContentFile(pki.signature_png()), save=False)
    appearance.seal_image.save("con-dau.png", ContentFile(pki.seal_png(OFFICE_NAME)), save=False)
    appearance.save()
    return root


@pytest.fixture
def approved(rolled, ca):
    Person.objects.filter(pk=rolled.director.person.pk).update(full_name=DIRECTOR_NAME)
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    rolled.dossier.refresh_from_db()
    return rolled


def pyhanko_statuses(content: bytes, root) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.keys import load_cert_from_pemder  # noqa: F401 - the same API the app uses

    trust = asn1_x509.Certificate.load(root.cert.public_bytes(Encoding.DER))
    reader = PdfFileReader(io.BytesIO(content))
    return [(sig.field_name, validate_pdf_signature(sig, ValidationContext(trust_roots=[trust])))
            for sig in reader.embedded_signatures]


def test_approval_stores_the_decision_signed_by_the_director_then_the_office(approved, ca):
    dossier = approved.dossier
    issued = IssuedDecision.objects.get(dossier=dossier)
    content = bytes(issued.content)
    statuses = pyhanko_statuses(content, ca)
    assert [name for name, _ in statuses] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    for _, status in statuses:
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.bottom_line
    signers = [status.signing_cert.subject.native["common_name"] for _, status in statuses]
    assert signers == [DIRECTOR_NAME, OFFICE_NAME]
    assert issued.level == "PAdES-B-B"
    digest = hashlib.sha256(content).hexdigest()
    assert issued.sha256 == digest == dossier.decision_sha256
    event = dossier.events.get(action=DossierEvent.Action.APPROVED)
    assert event.document_sha256 == digest
    assert "DỰ THẢO" not in pdf_text(content)


def test_every_download_serves_the_stored_bytes(approved, client):
    client.force_login(approved.director)
    issued = IssuedDecision.objects.get(dossier=approved.dossier)
    url = reverse("awards:decision_pdf", args=[approved.dossier.pk])
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first.content == second.content == bytes(issued.content)


def test_an_issued_decision_cannot_be_changed_by_any_path(approved):
    issued = IssuedDecision.objects.get(dossier=approved.dossier)
    with pytest.raises(ValueError):
        issued.save()
    with pytest.raises(ValueError):
        issued.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedDecision.objects.filter(pk=issued.pk).update(content=b"%PDF-1.7 forged")
    issued.refresh_from_db()
    assert bytes(issued.content).startswith(b"%PDF")
    assert hashlib.sha256(bytes(issued.content)).hexdigest() == issued.sha256


def test_verification_says_the_stored_decision_is_intact_trusted_and_issued_here(approved):
    issued = IssuedDecision.objects.get(dossier=approved.dossier)
    result = verification.verify(bytes(issued.content))
    assert result.ok and result.issued == issued
    assert [s.signer for s in result.signatures] == [DIRECTOR_NAME, OFFICE_NAME]
    assert all(s.intact and s.trusted for s in result.signatures)
    assert "+07:00" in result.signatures[0].signed_at
    assert result.lines()[-1] == "KẾT LUẬN: HỢP LỆ."


def test_one_changed_byte_fails_verification(approved):
    content = bytearray(IssuedDecision.objects.get(dossier=approved.dossier).content)
    # A byte inside the first page's signed content, not in the signature's own hex string.
    position = content.index(b"stream", 2000) + 40
    content[position] ^= 0x01
    result = verification.verify(bytes(content))
    assert not result.ok
    assert result.issued is None
    assert any(not s.intact for s in result.signatures) or result.error
    assert result.lines()[-1] == "KẾT LUẬN: KHÔNG HỢP LỆ."


def test_a_certificate_outside_the_trust_roots_is_reported_untrusted(approved, settings, tmp_path):
    other = pki.make_ca("Một CA khác")
    roots = tmp_path / "other-roots.pem"
    from cryptography.hazmat.primitives.serialization import Encoding

    roots.write_bytes(other.cert.public_bytes(Encoding.PEM))
    settings.SIGNING_TRUST_ROOTS = str(roots)
    result = verification.verify(bytes(IssuedDecision.objects.get(dossier=approved.dossier).content))
    assert all(s.intact and not s.trusted for s in result.signatures)
    assert not result.ok


def test_without_a_certificate_the_decision_is_issued_unsigned_and_says_so(rolled, settings, tmp_path, office):
    settings.SIGNING_PRIVATE_DIR = tmp_path / "nothing-here"
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    issued = IssuedDecision.objects.get(dossier=rolled.dossier)
    assert issued.level == "" and issued.signers == []
    text = single_spaced(pdf_text(bytes(issued.content)))
    assert "Văn bản chưa được ký số" in text
    assert verification.verify(bytes(issued.content)).signatures == []


def test_drafts_carry_the_draft_mark_and_no_signature(rolled, ca, client):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPRAISED)
    client.force_login(rolled.director)
    response = client.get(reverse("awards:decision_pdf", args=[rolled.dossier.pk]))
    assert "DỰ THẢO" in pdf_text(response.content)
    assert list(PdfFileReader(io.BytesIO(response.content)).embedded_signatures) == []
    assert not IssuedDecision.objects.exists()


def test_the_verify_command_reports_in_vietnamese(approved, tmp_path, capsys):
    path = tmp_path / "qd.pdf"
    path.write_bytes(bytes(IssuedDecision.objects.get(dossier=approved.dossier).content))
    call_command("verify_pdf", str(path))
    out = capsys.readouterr().out
    assert f"Chữ ký 1: {DIRECTOR_NAME}" in out and f"Chữ ký 2: {OFFICE_NAME}" in out
    assert "Đúng là tệp quyết định số 123/QĐ-BHXH" in out
    assert "KẾT LUẬN: HỢP LỆ." in out


def test_the_verify_page_checks_an_uploaded_file(approved, client):
    content = bytes(IssuedDecision.objects.get(dossier=approved.dossier).content)
    client.force_login(approved.compiler)
    page = client.get("/xac-minh-van-ban/")
    assert page.status_code == 200
    upload = ContentFile(content, name="qd.pdf")
    response = client.post("/xac-minh-van-ban/", {"file": upload})
    body = response.content.decode()
    assert "HỢP LỆ" in body and DIRECTOR_NAME in body and "KHÔNG HỢP LỆ" not in body
    tampered = bytearray(content)
    tampered[content.index(b"stream", 2000) + 40] ^= 1
    response = client.post("/xac-minh-van-ban/", {"file": ContentFile(bytes(tampered), name="qd.pdf")})
    assert "KHÔNG HỢP LỆ" in response.content.decode()


def test_a_page_of_the_signed_decision_is_saved_for_a_person_to_look_at(approved, ca):
    """pdftoppm draws the page with the signature; the picture goes to the artifacts folder."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    issued = IssuedDecision.objects.get(dossier=approved.dossier)
    out_dir = Path(os.environ.get("ARTIFACTS_DIR") or Path(__file__).resolve().parents[2] / "artifacts") / "signing"
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / "signed-decision.pdf"
    pdf_path.write_bytes(bytes(issued.content))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf_path), str(out_dir / "signed-decision-page1")], check=True)
    assert (out_dir / "signed-decision-page1.png").stat().st_size > 10_000
    # What the validators say, beside the picture.
    report = verification.verify(bytes(issued.content)).lines()
    report += [status.pretty_print_details() for _, status in pyhanko_statuses(bytes(issued.content), ca)]
    (out_dir / "validation.txt").write_text("\n".join(report), encoding="utf-8")


def test_without_uploaded_images_the_signatures_show_name_and_time_as_text(rolled, ca):
    SigningAppearance.objects.all().delete()
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    content = bytes(IssuedDecision.objects.get(dossier=rolled.dossier).content)
    statuses = pyhanko_statuses(content, ca)
    assert len(statuses) == 2 and all(s.bottom_line for _, s in statuses)
    assert verification.verify(content).ok


def test_a_password_file_others_can_read_is_refused(settings, tmp_path, ca):
    from django.core.exceptions import ImproperlyConfigured

    from awards import signing

    (settings.SIGNING_PRIVATE_DIR / "director.password").chmod(0o644)
    with pytest.raises(ImproperlyConfigured):
        signing.signers()


def test_the_png_check_refuses_an_image_without_transparency():
    from django.core.exceptions import ValidationError
    from PIL import Image

    from awards.models import _png_with_transparency

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(buffer, format="PNG")
    with pytest.raises(ValidationError):
        _png_with_transparency(buffer)
    _png_with_transparency(io.BytesIO(pki.signature_png()))


def test_a_wrong_certificate_password_refuses_the_approval_and_changes_nothing(rolled, ca, settings):
    from django.core.exceptions import ValidationError

    (settings.SIGNING_PRIVATE_DIR / "office.password").write_text("sai mật khẩu")
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPRAISED)
    with pytest.raises(ValidationError, match="Không ký số được quyết định"):
        services.dossier_approve(user=rolled.director, dossier=rolled.dossier,
                                 decision_number="123/QĐ-BHXH",
                                 decision_date=rolled.dossier.period.last_day + dt.timedelta(days=5))
    rolled.dossier.refresh_from_db()
    assert rolled.dossier.state == State.APPRAISED and rolled.dossier.decision_number == ""
    assert not IssuedDecision.objects.exists()
    assert not rolled.dossier.events.filter(action=DossierEvent.Action.APPROVED).exists()
