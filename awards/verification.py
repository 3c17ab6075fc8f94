"""Checking a decision file: each signature intact, who signed and when, whether the
certificate chains to a configured trust root, and whether the file is byte for byte one this
office issued (its SHA-256 against the stored decisions). Used by the verification page and
`manage.py verify_pdf`; what it says is in Vietnamese."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .models import IssuedDecision
from .signing import outside_any_event_loop, signing_time_text, trust_roots

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    signed_at: str
    intact: bool  # the signed bytes are unchanged and the cryptographic signature holds
    trusted: bool  # the certificate chains to a configured trust root
    whole_file: bool  # nothing but allowed additions (later signatures) after this one
    timestamped: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.whole_file


@dataclass
class Verification:
    sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    issued: IssuedDecision | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.ok for s in self.signatures)

    def lines(self) -> list[str]:
        """The verdict as plain sentences (the command prints them; the page shows the same)."""
        out = [f"Mã băm SHA-256 của tệp: {self.sha256}"]
        if self.error:
            out.append(self.error)
        elif not self.signatures:
            out.append("Tệp không có chữ ký số nào.")
        for number, check in enumerate(self.signatures, 1):
            out.append(f"Chữ ký {number}: {check.signer}, ký lúc {check.signed_at}"
                       f"{' (có dấu thời gian)' if check.timestamped else ''}.")
            out.append("  - Toàn vẹn: " + ("nội dung được ký không bị thay đổi." if check.intact
                                           else "KHÔNG: nội dung đã bị thay đổi sau khi ký hoặc chữ ký hỏng."))
            out.append("  - Chứng thư số: " + ("thuộc chuỗi tin cậy đã cấu hình." if check.trusted
                                               else "KHÔNG thuộc chuỗi tin cậy đã cấu hình."))
            if not check.whole_file:
                out.append("  - Sau chữ ký này tệp có thay đổi không được phép.")
        if self.issued is not None:
            dossier = self.issued.dossier
            out.append(f"Đúng là tệp quyết định số {dossier.decision_number} ngày "
                       f"{dossier.decision_date:%d/%m/%Y} ({dossier.period.name}) do cơ quan ban hành.")
        else:
            out.append("Không khớp với quyết định nào cơ quan đã ban hành trên hệ thống.")
        out.append("KẾT LUẬN: " + ("HỢP LỆ." if self.ok and self.issued is not None else "KHÔNG HỢP LỆ."))
        return out


def _signer_name(cert) -> str:
    native = cert.subject.native
    return native.get("common_name") or cert.subject.human_friendly


def verify(content: bytes) -> Verification:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(content).hexdigest()
    result = Verification(
        sha256=digest,
        issued=IssuedDecision.objects.select_related("dossier__period").filter(sha256=digest).first(),
    )
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        result.error = f"Không đọc được tệp PDF ({error})."
        return result
    roots = trust_roots()
    for signature in embedded:
        try:
            status = outside_any_event_loop(
                validate_pdf_signature, signature, ValidationContext(trust_roots=roots))
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
            result.signatures.append(SignatureCheck(
                field=signature.field_name, signer="(không đọc được)", signed_at="(không rõ)",
                intact=False, trusted=False, whole_file=False, timestamped=False,
            ))
            continue
        timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
        moment = timestamp or status.signer_reported_dt
        allowed_after = status.docmdp_ok is not False and status.coverage in (
            SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
        result.signatures.append(SignatureCheck(
            field=signature.field_name,
            signer=_signer_name(status.signing_cert),
            signed_at=signing_time_text(moment.astimezone(VN)) if moment else "(không ghi thời gian)",
            intact=bool(status.intact and status.valid),
            trusted=bool(status.trusted),
            whole_file=allowed_after,
            timestamped=timestamp is not None,
        ))
    return result
