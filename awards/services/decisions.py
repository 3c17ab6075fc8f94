"""Issuing the decision at approval: rendered once, signed when a certificate is configured,
stored with its SHA-256 (awards.signing explains the signatures)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError

from units.models import Organisation

from .. import signing
from ..models import Dossier, DossierEvent, IssuedDecision, SigningAppearance

DEMO_MARK = "DEMO"
DEMO_NOTE = ("Chữ ký số DEMO: chứng thư số thử nghiệm của bản trình diễn, "
             "không có giá trị pháp lý.")
logger = logging.getLogger(__name__)

UNSIGNED_NOTE = "Văn bản chưa được ký số: cơ quan chưa cấu hình chứng thư số."


def _image(field) -> bytes | None:
    if not field:
        return None
    with field.open("rb") as file:
        return file.read()


def is_demo(keys: dict) -> bool:
    return any(DEMO_MARK in key.signing_cert.subject.human_friendly for key in keys.values())


def _sign(content: bytes, box, keys: dict, dossier: Dossier) -> signing.Signed:
    appearance = SigningAppearance.objects.first()
    return signing.sign_decision(
        content, box=box, keys=keys,
        signature_png=_image(appearance.signature_image) if appearance else None,
        seal_png=_image(appearance.seal_image) if appearance else None,
        seal_diameter_mm=float(appearance.seal_diameter_mm) if appearance else 36.0,
        reason=f"Ban hành Quyết định số {dossier.decision_number}",
        location=Organisation.current().place,
    )


def decision_issue(*, dossier: Dossier, event: DossierEvent) -> IssuedDecision:
    """Called by the approval inside its transaction: if rendering or signing fails, the
    approval fails with it (a ValidationError the director reads) and nothing is half-written."""
    from .. import pdf
    from ..documents import document_context
    from ..selectors import dossier_for_page

    try:
        keys = signing.signers()
    except (ImproperlyConfigured, ValueError, OSError) as error:
        raise ValidationError(f"Không ký số được quyết định: {error} Hồ sơ chưa được phê duyệt; "
                              "hãy báo quản trị hệ thống kiểm tra chứng thư số.") from error
    context = document_context(dossier_for_page(dossier.pk))
    context["signature_note"] = UNSIGNED_NOTE if keys is None else DEMO_NOTE if is_demo(keys) else ""
    content, box = pdf.decision_pdf_with_signature_box(context)
    level, signers = "", []
    if keys is not None:
        try:
            signed = _sign(content, box, keys, dossier)
        except Exception as error:  # the key, pyHanko, the timestamp server: any failure
            logger.exception("Signing the decision of dossier %s failed", dossier.pk)
            raise ValidationError(
                f"Không ký số được quyết định (lỗi khi ký hoặc khi lấy dấu thời gian: {error}). "
                "Hồ sơ chưa được phê duyệt; hãy thử lại hoặc báo quản trị hệ thống."
            ) from error
        content, level, signers = signed.content, signed.level, signed.signers
    digest = hashlib.sha256(content).hexdigest()
    issued = IssuedDecision.objects.create(
        dossier=dossier, content=content, sha256=digest, level=level, signers=signers,
    )
    Dossier.objects.filter(pk=dossier.pk).update(decision_sha256=digest)
    DossierEvent.objects.filter(pk=event.pk).update(document_sha256=digest)
    return issued


def demo_signing_install(*, organisation) -> None:
    """The demo's throw-away CA and certificates in the private directory, and its images, each
    unless the office has its own (configured certificates, uploaded images)."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    from .. import pki

    if not (settings.SIGNING_DIRECTOR_P12 or settings.SIGNING_OFFICE_P12):
        pki.demo_install(Path(settings.SIGNING_PRIVATE_DIR),
                         director_name=organisation.head_name or organisation.head_title,
                         office_name=organisation.name)
    if not SigningAppearance.objects.exists():
        appearance = SigningAppearance()
        appearance.signature_image.save("demo-chu-ky.png", ContentFile(pki.signature_png()), save=False)
        appearance.seal_image.save("demo-con-dau.png", ContentFile(pki.seal_png(organisation.name)),
                                   save=False)
        appearance.save()
