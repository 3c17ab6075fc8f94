"""A campaign's definition file (TOML): read, checked whole, and written back.

Pure: the standard library only. `parse` turns the text into a `Definition` or into the list of
everything wrong with it, each message in Vietnamese and naming its key, so an administrator
fixes the file in one pass. `dump` writes a definition back in the same format. Writing it to
the database is `campaign.setup.campaign_load`'s job.

The format is documented in docs/campaigns.md; fixtures/campaigns/ holds real examples.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,29}$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
TOP_KEYS = {
    "code", "name", "year", "launch_date", "end_date", "baseline_date", "tie_decimals",
    "budget", "individual_amount", "legal_basis", "dispatch", "prizes", "periods",
}
PRIZE_KEYS = {"key", "name", "count", "amount", "individuals"}
PERIOD_KEYS = {
    "number", "name", "first_day", "last_day", "participant_threshold", "revenue_threshold",
    "rollup_due",
}
MAX_TIE_DECIMALS = 4


@dataclass(frozen=True)
class Prize:
    key: str
    name: str
    count: int
    amount: int
    individuals: int


@dataclass(frozen=True)
class PeriodDef:
    number: int
    name: str
    first_day: dt.date
    last_day: dt.date
    participant_threshold: Decimal
    revenue_threshold: Decimal
    rollup_due: dt.datetime


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    year: int
    launch_date: dt.date
    end_date: dt.date
    baseline_date: dt.date
    tie_decimals: int
    budget: int
    individual_amount: int
    legal_basis: tuple[str, ...]
    dispatch_number: str
    dispatch_date: dt.date | None
    prizes: tuple[Prize, ...]
    periods: tuple[PeriodDef, ...]

    def monthly_cost(self) -> int:
        """What one period costs when every prize is given with all its individuals."""
        return sum(p.count * (p.amount + p.individuals * self.individual_amount) for p in self.prizes)


class DefinitionError(ValueError):
    """The file cannot be loaded; `errors` holds every reason."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Parsed:
    definition: Definition | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class _Reader:
    """Collects every error while reading, so the whole file is checked in one pass."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(f"{key}: {message}")

    def unknown(self, table: dict, allowed: set[str], prefix: str) -> None:
        for key in sorted(set(table) - allowed):
            self.error(f"{prefix}{key}", "khóa không có trong định dạng (gõ nhầm?).")

    def text(self, table: dict, key: str, label: str, *, required=True, max_length=300) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.error(label, "thiếu.")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(label, "phải là một chuỗi chữ không rỗng.")
            return ""
        if len(value) > max_length:
            self.error(label, f"dài quá {max_length} ký tự.")
        return value.strip()

    def integer(self, table: dict, key: str, label: str, *, default=None, low=0, high=None):
        value = table.get(key, default)
        if value is None:
            self.error(label, "thiếu.")
            return None
        # bool is an int in Python; TOML's true/false is never a count or an amount here.
        if isinstance(value, bool) or not isinstance(value, int):
            hint = " (tiền là số nguyên đồng, không dùng số thập phân)" if isinstance(value, float) else ""
            self.error(label, f"phải là số nguyên{hint}.")
            return None
        if value < low or (high is not None and value > high):
            bound = f"từ {low} đến {high}" if high is not None else f"không nhỏ hơn {low}"
            self.error(label, f"phải {bound}, đang là {value}.")
            return None
        return value

    def date(self, table: dict, key: str, label: str, *, required=True):
        value = table.get(key)
        if value is None:
            if required:
                self.error(label, "thiếu.")
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.error(label, "phải là một ngày, viết dạng năm-tháng-ngày YYYY-MM-DD, không đặt trong dấu nháy.")
            return None
        return value

    def moment(self, table: dict, key: str, label: str):
        value = table.get(key)
        if value is None:
            self.error(label, "thiếu.")
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            self.error(label, "phải là ngày giờ có múi giờ, viết dạng YYYY-MM-DDTHH:MM:SS+07:00.")
            return None
        return value

    def percent(self, table: dict, key: str, label: str):
        value = table.get(key)
        if value is None:
            self.error(label, "thiếu.")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(label, 'phải là phần trăm viết trong dấu ngoặc kép, ví dụ "81" hoặc "92.5".')
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.error(label, f"«{value}» không phải một số.")
            return None
        if not number.is_finite() or number < 0 or number > 100:
            self.error(label, f"phải từ 0 đến 100 (%), đang là {value}.")
            return None
        if number != number.quantize(Decimal("0.01")):
            self.error(label, "nhiều nhất hai chữ số thập phân.")
            return None
        return number


def parse(text: str, *, launch_after: dt.date | None = None) -> Parsed:
    """Read a definition; every error and warning at once, nothing half-read."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Parsed(None, [f"Tệp không đúng cú pháp TOML: {exc}."])
    return parse_data(data, launch_after=launch_after)


def parse_data(data: dict, *, launch_after: dt.date | None = None) -> Parsed:
    """The checks of `parse` on values already read (the TOML file's, or a form's put in the
    same shape), so the file and the page refuse the same things with the same words.

    `launch_after`: the campaign must launch after this day (the app writes only campaigns
    still to start; see `campaign.setup.campaign_define`), said with the other errors."""
    r = _Reader()
    r.unknown(data, TOP_KEYS, "")

    code = r.text(data, "code", "code", max_length=30)
    if code and not CODE_RE.match(code):
        r.error("code", f"«{code}» chỉ gồm chữ in hoa không dấu, chữ số, - và _, ví dụ NUOCRUT_QUY4.")
    name = r.text(data, "name", "name")
    year = r.integer(data, "year", "year", low=2000, high=2100)
    launch = r.date(data, "launch_date", "launch_date")
    end = r.date(data, "end_date", "end_date")
    baseline = r.date(data, "baseline_date", "baseline_date", required=False)
    if baseline is None and year is not None and "baseline_date" not in data:
        baseline = dt.date(year - 1, 12, 31)
    tie_decimals = r.integer(data, "tie_decimals", "tie_decimals", default=1, high=MAX_TIE_DECIMALS)
    budget = r.integer(data, "budget", "budget")
    individual_amount = r.integer(data, "individual_amount", "individual_amount")

    if launch and end and end < launch:
        r.error("end_date", f"ngày kết thúc {_date_text(end)} trước ngày phát động {_date_text(launch)}.")
    if launch and baseline and baseline >= launch:
        r.error("baseline_date", f"ngày chốt {_date_text(baseline)} phải trước ngày phát động {_date_text(launch)}.")
    if year is not None and launch and launch.year != year:
        r.error("launch_date", f"năm {launch.year} khác year = {year}.")
    if launch and launch_after and launch <= launch_after:
        r.error("launch_date", launch_too_early(launch, launch_after))

    legal_basis = _legal_basis(r, data.get("legal_basis", []))
    dispatch_number, dispatch_date = _dispatch(r, data.get("dispatch"))
    prizes = _prizes(r, data.get("prizes", []))
    periods = _periods(r, data.get("periods"), launch, end)

    if r.errors:
        return Parsed(None, r.errors)
    definition = Definition(
        code=code, name=name, year=year, launch_date=launch, end_date=end,
        baseline_date=baseline, tie_decimals=tie_decimals, budget=budget,
        individual_amount=individual_amount, legal_basis=legal_basis,
        dispatch_number=dispatch_number, dispatch_date=dispatch_date,
        prizes=prizes, periods=periods,
    )
    return Parsed(definition, [], warnings_of(definition))


def launch_too_early(launch: dt.date, today: dt.date) -> str:
    return (f"ngày phát động {_date_text(launch)} phải sau hôm nay ({_date_text(today)}): trong "
            "ứng dụng chỉ tạo và sửa phong trào chưa bắt đầu, để còn sửa định nghĩa và chuẩn bị "
            "chỉ tiêu trước ngày phát động. Phong trào đã bắt đầu được nạp bằng lệnh "
            "campaign_load (docs/campaigns.md).")


def _legal_basis(r: _Reader, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        r.error("legal_basis", 'phải là danh sách văn bản, ví dụ ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"].')
        return ()
    return tuple(line.strip().rstrip(";") for line in value)


def _dispatch(r: _Reader, value) -> tuple[str, dt.date | None]:
    if value is None:
        return "", None
    if not isinstance(value, dict):
        r.error("dispatch", 'phải có dạng { number = "1234/BHXH-TCHC", date = YYYY-MM-DD }.')
        return "", None
    r.unknown(value, {"number", "date"}, "dispatch.")
    return (r.text(value, "number", "dispatch.number", max_length=50),
            r.date(value, "date", "dispatch.date"))


def _prizes(r: _Reader, value) -> tuple[Prize, ...]:
    if not isinstance(value, list):
        r.error("prizes", "phải là các bảng [[prizes]].")
        return ()
    prizes, seen = [], set()
    for index, table in enumerate(value, start=1):
        label = f"prizes[{index}]"
        if not isinstance(table, dict):
            r.error(label, "phải là một bảng [[prizes]].")
            continue
        r.unknown(table, PRIZE_KEYS, f"{label}.")
        key = r.text(table, "key", f"{label}.key", max_length=20)
        if key and not KEY_RE.match(key):
            r.error(f"{label}.key", f"«{key}» chỉ gồm chữ thường không dấu, chữ số, - và _.")
        elif key in seen:
            r.error(f"{label}.key", f"«{key}» đã dùng cho một mức giải khác.")
        seen.add(key)
        prize = Prize(
            key=key,
            name=r.text(table, "name", f"{label}.name", max_length=100),
            count=r.integer(table, "count", f"{label}.count", high=100),
            amount=r.integer(table, "amount", f"{label}.amount"),
            individuals=r.integer(table, "individuals", f"{label}.individuals", high=100),
        )
        prizes.append(prize)
    return tuple(prizes)


def _periods(r: _Reader, value, launch, end) -> tuple[PeriodDef, ...]:
    if not isinstance(value, list) or not value:
        r.error("periods", "cần ít nhất một kỳ [[periods]].")
        return ()
    periods = []
    for index, table in enumerate(value, start=1):
        label = f"periods[{index}]"
        if not isinstance(table, dict):
            r.error(label, "phải là một bảng [[periods]].")
            continue
        r.unknown(table, PERIOD_KEYS, f"{label}.")
        number = r.integer(table, "number", f"{label}.number", low=1, high=100)
        if number is not None and number != index:
            r.error(f"{label}.number", f"các kỳ đánh số liên tiếp từ 1: kỳ thứ {index} phải là {index}, đang là {number}.")
        period = PeriodDef(
            number=number,
            name=r.text(table, "name", f"{label}.name", max_length=100),
            first_day=r.date(table, "first_day", f"{label}.first_day"),
            last_day=r.date(table, "last_day", f"{label}.last_day"),
            participant_threshold=r.percent(table, "participant_threshold", f"{label}.participant_threshold"),
            revenue_threshold=r.percent(table, "revenue_threshold", f"{label}.revenue_threshold"),
            rollup_due=r.moment(table, "rollup_due", f"{label}.rollup_due"),
        )
        periods.append(period)
        first, last = period.first_day, period.last_day
        if first and last and last < first:
            r.error(f"{label}.last_day", f"{_date_text(last)} trước ngày bắt đầu {_date_text(first)}.")
        if last and period.rollup_due and period.rollup_due.date() <= last:
            r.error(f"{label}.rollup_due", f"hạn tổng hợp phải sau ngày cuối kỳ {_date_text(last)}.")
    _check_sequence(r, periods, launch, end)
    return tuple(periods)


def _check_sequence(r: _Reader, periods: list[PeriodDef], launch, end) -> None:
    """Consecutive months: the first starts at the launch, each starts the day after the one
    before ends (no overlap, no gap), the last ends by the campaign's end."""
    if not periods:
        return
    head, tail = periods[0], periods[-1]
    if launch and head.first_day and head.first_day != launch:
        r.error("periods[1].first_day", f"kỳ đầu bắt đầu từ ngày phát động {_date_text(launch)}.")
    if end and tail.last_day and tail.last_day > end:
        r.error(f"periods[{len(periods)}].last_day", f"sau ngày kết thúc phong trào {_date_text(end)}.")
    for index, (before, after) in enumerate(zip(periods, periods[1:], strict=False), start=2):
        if not (before.last_day and after.first_day):
            continue
        expected = before.last_day + dt.timedelta(days=1)
        if after.first_day < expected:
            r.error(f"periods[{index}].first_day", f"chồng lên kỳ trước (kỳ trước đến {_date_text(before.last_day)}).")
        elif after.first_day > expected:
            r.error(f"periods[{index}].first_day", f"để trống từ {_date_text(expected)}: các kỳ phải liền nhau.")


def warnings_of(d: Definition) -> list[str]:
    """What is loaded all the same but deserves a look: a ladder dearer than the budget."""
    cost = d.monthly_cost() * len(d.periods)
    if cost > d.budget:
        return [
            f"budget: thang giải có thể tốn tới {_money(cost)} đồng cho {len(d.periods)} kỳ, "
            f"nhiều hơn kinh phí {_money(d.budget)} đồng."
        ]
    return []


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def load(text: str) -> Definition:
    """The definition, or DefinitionError with every reason."""
    parsed = parse(text)
    if parsed.definition is None:
        raise DefinitionError(parsed.errors)
    return parsed.definition


# --- writing -----------------------------------------------------------------------------------


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _moment(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def dump(d: Definition) -> str:
    """The definition as a TOML file that `parse` reads back to the same Definition."""
    lines = [
        f"code = {_quote(d.code)}",
        f"name = {_quote(d.name)}",
        f"year = {d.year}",
        f"launch_date = {d.launch_date.isoformat()}",
        f"end_date = {d.end_date.isoformat()}",
        f"baseline_date = {d.baseline_date.isoformat()}",
        f"tie_decimals = {d.tie_decimals}",
        f"budget = {d.budget}",
        f"individual_amount = {d.individual_amount}",
        "legal_basis = [",
        *[f"    {_quote(line)}," for line in d.legal_basis],
        "]",
    ]
    if d.dispatch_number or d.dispatch_date:
        parts = []
        if d.dispatch_number:
            parts.append(f"number = {_quote(d.dispatch_number)}")
        if d.dispatch_date:
            parts.append(f"date = {d.dispatch_date.isoformat()}")
        lines.append(f"dispatch = {{ {', '.join(parts)} }}")
    for p in d.prizes:
        lines += [
            "", "[[prizes]]", f"key = {_quote(p.key)}", f"name = {_quote(p.name)}",
            f"count = {p.count}", f"amount = {p.amount}", f"individuals = {p.individuals}",
        ]
    for p in d.periods:
        lines += [
            "", "[[periods]]", f"number = {p.number}", f"name = {_quote(p.name)}",
            f"first_day = {p.first_day.isoformat()}", f"last_day = {p.last_day.isoformat()}",
            f"participant_threshold = {_quote(_percent(p.participant_threshold))}",
            f"revenue_threshold = {_quote(_percent(p.revenue_threshold))}",
            f"rollup_due = {_moment(p.rollup_due)}",
        ]
    return "\n".join(lines) + "\n"


def _percent(value: Decimal) -> str:
    """81.00 → "81", 92.50 → "92.5": the exact value, as short as it goes."""
    text = format(value.normalize(), "f")
    return text
