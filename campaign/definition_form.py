"""The definition edit page's form: the definition file's keys as inputs, read back into the
file's shape and checked by `campaign.definition.parse_data`, so the page and an uploaded file
refuse the same things with the same words, every error at once and naming its key.

What the page adds is reading values as people type them: amounts with thousands dots
(6.000.000), percentages with a decimal comma (92,5), dates day first (dd/mm/yyyy: text inputs,
so the page shows them so whatever the browser's language; yyyy-mm-dd is read too), the roll-up
time as dd/mm/yyyy hh:mm in the office's time zone. A value that cannot be
read is an error on its key like any other, and the page shows what was typed, unchanged.

Inputs are named after the keys: `budget`, `dispatch_number`, `prizes-2-amount` for
`prizes[2].amount`, `periods-3-first_day` for `periods[3].first_day`. A row left entirely blank
is no level or no period: that is how one is removed, and the blank rows under the last are how
one is added.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from .definition import Definition, Parsed, parse_data

EXTRA_ROWS = 2
MAX_ROWS = 100

_WHOLE = re.compile(r"[0-9]+")
_DOTTED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

# (key, label, kind): kind says how the typed text is read and which input shows it.
GENERAL = (
    ("name", "Tên phong trào", "text"),
    ("year", "Năm", "year"),
    ("launch_date", "Ngày phát động", "date"),
    ("end_date", "Ngày kết thúc", "date"),
    ("baseline_date", "Ngày chốt số người tham gia ban đầu (R1)", "date"),
    ("tie_decimals", "Số chữ số thập phân khi so sánh tương đương (R10)", "count"),
    ("budget", "Kinh phí khen thưởng (đồng)", "money"),
    ("individual_amount", "Tiền thưởng mỗi cá nhân (đồng)", "money"),
    ("dispatch_number", "Số văn bản phát động", "text"),
    ("dispatch_date", "Ngày văn bản phát động", "date"),
    ("legal_basis", "Căn cứ (mỗi dòng một văn bản)", "lines"),
)
PRIZE_COLUMNS = (
    ("key", "Mã giải", "text"),
    ("name", "Tên giải", "text"),
    ("count", "Số giải mỗi kỳ", "count"),
    ("amount", "Tiền thưởng tập thể (đồng)", "money"),
    ("individuals", "Số cá nhân mỗi tập thể", "count"),
)
PERIOD_COLUMNS = (
    ("name", "Tên kỳ", "text"),
    ("first_day", "Từ ngày", "date"),
    ("last_day", "Đến ngày", "date"),
    ("participant_threshold", "Ngưỡng người tham gia (%)", "percent"),
    ("revenue_threshold", "Ngưỡng số thu (%)", "percent"),
    ("rollup_due", "Hạn tổng hợp", "moment"),
)
ROW_NOUN = {"prizes": "mức giải", "periods": "kỳ"}
# Where each general input lands in the file's shape, when not at its own key.
DISPATCH_KEYS = {"dispatch_number": "number", "dispatch_date": "date"}


def _money_text(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _percent_text(value) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _shown(kind: str, value) -> str:
    """How a stored value is put back into its input."""
    if value is None:
        return ""
    if kind == "money":
        return _money_text(value)
    if kind == "percent":
        return _percent_text(value)
    if kind == "date":
        return f"{value:%d/%m/%Y}"
    if kind == "moment":
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if kind == "lines":
        return "\n".join(value)
    return str(value)


class _Unreadable(ValueError):
    pass


def _read(kind: str, text: str):
    """The typed text as the file would hold it; _Unreadable says why not."""
    if kind in ("text",):
        return text
    if kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    compact = text.replace(" ", "").replace("\u00a0", "")
    if kind in ("money", "count", "year"):
        if _WHOLE.fullmatch(compact):
            return int(compact)
        if kind != "year" and _DOTTED.fullmatch(compact):
            return int(compact.replace(".", ""))
        example = "6.000.000" if kind == "money" else "3"
        raise _Unreadable(f"«{text}» không phải số nguyên không âm; viết như {example}.")
    if kind == "percent":
        if "," in compact and "." in compact:
            raise _Unreadable(f"«{text}» không phải một tỷ lệ; viết như 92,5.")
        return compact.replace(",", ".")
    if kind == "date":
        return _date(compact, text)
    if kind == "moment":
        return _moment(text)
    raise AssertionError(kind)


def _today() -> str:
    """Today, as the example of how a date is written (no year is named in the code)."""
    return f"{timezone.localdate():%d/%m/%Y}"


def _date(compact: str, text: str) -> dt.date:
    try:
        if _ISO_DATE.fullmatch(compact):
            return dt.date.fromisoformat(compact)
        match = _VN_DATE.fullmatch(compact)
        if match:
            day, month, year = (int(x) for x in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise _Unreadable(f"«{text}» không phải một ngày; viết dạng ngày/tháng/năm như {_today()}.")


def _moment(text: str) -> dt.datetime:
    """dd/mm/yyyy hh:mm (or yyyy-mm-ddThh:mm, as a datetime-local input sends it), in the office's
    time zone (settings.TIME_ZONE)."""
    compact = " ".join(text.replace("T", " ").split())
    day, _, clock = compact.partition(" ")
    try:
        date = _date(day, text)
        hour, minute = (int(x) for x in clock.split(":")[:2]) if clock else (None, None)
        moment = dt.datetime(date.year, date.month, date.day, hour, minute)
    except (ValueError, TypeError, _Unreadable):
        raise _Unreadable(f"«{text}» không phải ngày giờ; viết như {_today()} 07:00.") from None
    return timezone.make_aware(moment, timezone.get_current_timezone())


@dataclass
class Cell:
    name: str  # the input's name
    key: str  # the definition's key, as errors name it
    label: str
    kind: str
    value: str = ""
    error: str = ""


@dataclass
class Row:
    cells: list[Cell]
    number: int | None = None  # its place in the definition once blank rows are dropped
    label: str = ""  # read out with each input of the row (screen readers)


@dataclass
class DefinitionForm:
    """The edit page's form. `DefinitionForm.of(definition)` shows a stored definition;
    `DefinitionForm.read(code, post, launch_after=…)` reads a posted one, then `definition`
    is set, or `errors` lists every reason with its key."""

    code: str
    general: list[Cell]
    prizes: list[Row]
    periods: list[Row]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    definition: Definition | None = None

    @property
    def prize_headers(self):
        return [(label, key) for key, label, _ in PRIZE_COLUMNS]

    @property
    def period_headers(self):
        return [(label, key) for key, label, _ in PERIOD_COLUMNS]

    @classmethod
    def of(cls, d: Definition) -> DefinitionForm:
        values = {
            "name": d.name, "year": d.year, "launch_date": d.launch_date, "end_date": d.end_date,
            "baseline_date": d.baseline_date, "tie_decimals": d.tie_decimals, "budget": d.budget,
            "individual_amount": d.individual_amount, "dispatch_number": d.dispatch_number,
            "dispatch_date": d.dispatch_date, "legal_basis": d.legal_basis,
        }
        general = [Cell(key, _general_key(key), label, kind, _shown(kind, values[key]))
                   for key, label, kind in GENERAL]
        prizes = _rows("prizes", PRIZE_COLUMNS, [p.__dict__ for p in d.prizes])
        periods = _rows("periods", PERIOD_COLUMNS, [p.__dict__ for p in d.periods])
        return cls(d.code, general, prizes, periods, definition=d)

    @classmethod
    def read(cls, code: str, post, *, launch_after: dt.date | None = None) -> DefinitionForm:
        errors: dict[str, str] = {}  # key → why its text could not be read
        data: dict = {"code": code}

        def take(cell: Cell, target: dict, key: str) -> None:
            cell.value = post.get(cell.name, "")
            text = cell.value.strip() if cell.kind != "lines" else cell.value
            if not text.strip():
                return
            try:
                target[key] = _read(cell.kind, text)
            except _Unreadable as exc:
                errors[cell.key] = str(exc)

        general = [Cell(key, _general_key(key), label, kind) for key, label, kind in GENERAL]
        dispatch: dict = {}
        for cell in general:
            if cell.name in DISPATCH_KEYS:
                take(cell, dispatch, DISPATCH_KEYS[cell.name])
            else:
                take(cell, data, cell.name)
        data.setdefault("legal_basis", [])
        if dispatch or any(post.get(n, "").strip() for n in DISPATCH_KEYS):
            data["dispatch"] = dispatch

        tables = {}
        for table, columns in (("prizes", PRIZE_COLUMNS), ("periods", PERIOD_COLUMNS)):
            rows, entries = [], []
            for index in range(1, _posted_rows(post, table) + 1):
                cells = [Cell(f"{table}-{index}-{key}", "", label, kind)
                         for key, label, kind in columns]
                row = Row(cells, None, f"dòng trống {index}")
                rows.append(row)
                if not any(post.get(c.name, "").strip() for c in cells):
                    for c in cells:
                        c.key = f"{table}[?].{c.name.rsplit('-', 1)[1]}"
                    continue
                row.number = len(entries) + 1
                row.label = f"{ROW_NOUN[table]} {row.number}"
                entry = {"number": row.number} if table == "periods" else {}
                for (key, _, _), cell in zip(columns, cells, strict=True):
                    cell.key = f"{table}[{row.number}].{key}"
                    take(cell, entry, key)
                entries.append(entry)
            data[table] = entries
            tables[table] = rows
        for table, columns in (("prizes", PRIZE_COLUMNS), ("periods", PERIOD_COLUMNS)):
            rows = tables[table]
            blank_tail = len(rows) - max((i + 1 for i, r in enumerate(rows) if r.number), default=0)
            rows += _blank_rows(table, columns, len(rows), EXTRA_ROWS - blank_tail)

        parsed: Parsed = parse_data(data, launch_after=launch_after)
        unread = [f"{key}: {message}" for key, message in errors.items()]
        # A value that could not be read is also "missing" to the parser: said once, as unread.
        checked = [e for e in parsed.errors if e.split(":", 1)[0] not in errors]
        form = cls(code, general, tables["prizes"], tables["periods"], unread + checked,
                   parsed.warnings)
        if not form.errors:
            form.definition = parsed.definition
        form.attach_errors()
        return form

    def attach_errors(self) -> None:
        cells = {c.key: c for c in self.general}
        for row in self.prizes + self.periods:
            cells.update({c.key: c for c in row.cells})
        for error in self.errors:
            key, _, message = error.partition(": ")
            cell = cells.get(key)
            if cell is not None and not cell.error:
                cell.error = message


def _general_key(name: str) -> str:
    return f"dispatch.{DISPATCH_KEYS[name]}" if name in DISPATCH_KEYS else name


def _rows(table: str, columns, entries: list[dict]) -> list[Row]:
    rows = []
    for number, entry in enumerate(entries, start=1):
        rows.append(Row([
            Cell(f"{table}-{number}-{key}", f"{table}[{number}].{key}", label, kind,
                 _shown(kind, entry.get(key)))
            for key, label, kind in columns
        ], number, f"{ROW_NOUN[table]} {number}"))
    return rows + _blank_rows(table, columns, len(rows))


def _blank_rows(table: str, columns, after: int, count: int = EXTRA_ROWS) -> list[Row]:
    return [
        Row([Cell(f"{table}-{n}-{key}", f"{table}[?].{key}", label, kind)
             for key, label, kind in columns], None, f"dòng trống {n}")
        for n in range(after + 1, min(after + count, MAX_ROWS) + 1)
    ]


def _posted_rows(post, table: str) -> int:
    """The highest row number posted for the table (capped: a crafted form is no reason to
    build a thousand rows)."""
    numbers = [int(m.group(1)) for name in post
               if (m := re.fullmatch(rf"{table}-(\d{{1,3}})-\w+", name))]
    return min(max(numbers, default=0), MAX_ROWS)
