"""The Đắk Lắk demo: organisation, the 2025 sprint campaign, staff, demo logins and figures.

Everything below is DEMO data. The local offices carry the names of the 24 former districts
of Đắk Lắk and Phú Yên; their sizes, targets and results are invented (plausible orders of
magnitude, not official figures). The logins share one published password and exist only
to try the application: never load the demo into a production database.

`demo_load()` is idempotent: units, people and users are keyed by code / (unit, name) /
username, the campaign by code, periods by (campaign, number), targets by (campaign, unit)
and reports by (period, unit). A row is written only when a value differs, so a second run
changes nothing (not even `updated_at`).

How the figures are made (plain integer / Fraction arithmetic, no floats, no randomness):
- a local office's plan is its size times a per-size figure (PLAN_PER_SIZE); its base of
  31/12/2024 is a per-mille of the plan (OfficeRow.base), so there is always something
  to develop;
- each month of each office is one `Month` row: the development rate reached on every
  scheme, the revenue rate, the late ratio (and optionally the interest-bearing ratio and
  one lagging scheme). Participants are base + rate × to_develop, rounded to the nearest
  person, so a stored rate may differ from the one written here by a few hundredths of a
  point (tests/campaign/test_load_demo.py checks what matters: who passes, who ties).
  Late amounts are rounded DOWN, so a ratio written at the ceiling stays at the ceiling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from units.models import Organisation, Person, Role, Unit

from .definition import load as load_definition
from .models import Campaign, Period, Report, ReportEvent, Target
from .setup import campaign_load
from .signals import demo_loaded

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Demo only: every demo login shares this password (printed by `load_demo`, in the README).
DEMO_PASSWORD = "demo12345"
DEMO_NOTE = "Dữ liệu mẫu (load_demo)."

# --- the campaign: its definition file, the first user of the format ----------------------------

CAMPAIGN_FILE = settings.BASE_DIR / "fixtures" / "campaigns" / "nuocrut2025.toml"

# --- the organisation -----------------------------------------------------------------------

ORGANISATION = {
    "name": "Bảo hiểm xã hội tỉnh Đắk Lắk",
    "short_name": "BHXH tỉnh Đắk Lắk",
    "parent": "Bảo hiểm xã hội Việt Nam",
    "place": "Đắk Lắk",
    "document_symbol": "BHXH",
    "head_title": "Giám đốc",
    "head_name": "",  # the demo's director login is named from the staff plan (_load_users)
    "email_from": "thidua@bhxh-daklak.example",
}

COLLECTION_DEPARTMENT = "QLT"
DIRECTORATE = "BGD"

# code, name, order, number of staff members
DEPARTMENTS = (
    ("BGD", "Ban Giám đốc", 1, 4),
    ("QLT", "Phòng Quản lý thu và Phát triển người tham gia", 2, 6),
    ("TCHC", "Phòng Tổ chức - Hành chính", 3, 4),
    ("KHTC", "Phòng Kế hoạch - Tài chính", 4, 4),
    ("CDXH", "Phòng Chế độ BHXH", 5, 3),
    ("GDYT", "Phòng Giám định BHYT", 6, 3),
    ("KT", "Phòng Kiểm tra", 7, 3),
    ("CNTT", "Phòng Công nghệ thông tin", 8, 3),
)


@dataclass(frozen=True)
class OfficeRow:
    code: str
    district: str
    size: int  # inhabitants, thousands (rounded; demo): drives voluntary and health plans
    jobs: int  # weight of employers and payroll: drives mandatory and revenue plans
    base: int  # base of 31/12/2024, per mille of the mandatory plan (see BASE_OFFSET)
    nonpublic: int  # % of revenue from enterprises, co-operatives, non-public units
    yoy: int  # participants now per 1000 on the same day of 2024

    @property
    def name(self) -> str:
        return f"BHXH cơ sở {self.district}"


LOCAL_OFFICES = (
    #          code   district          size jobs base np  yoy
    OfficeRow("BMT", "Buôn Ma Thuột",    380, 300, 955, 58, 1064),
    OfficeRow("BHO", "Buôn Hồ",          100,  45, 948, 38, 1041),
    OfficeRow("BDO", "Buôn Đôn",          70,  18, 940, 31, 1036),
    OfficeRow("CKU", "Cư Kuin",          105,  30, 950, 35, 1061),
    OfficeRow("CMG", "Cư M'gar",         180,  45, 952, 41, 1052),
    OfficeRow("EHL", "Ea H'leo",         130,  35, 946, 37, 1048),
    OfficeRow("EKA", "Ea Kar",           150,  42, 951, 43, 1058),
    OfficeRow("ESU", "Ea Súp",            75,  15, 938, 30, 1033),
    OfficeRow("KAN", "Krông Ana",         90,  25, 947, 36, 1045),
    OfficeRow("KBO", "Krông Bông",        95,  20, 941, 32, 1039),
    OfficeRow("KBU", "Krông Búk",         65,  18, 944, 34, 1043),
    OfficeRow("KNA", "Krông Năng",       125,  32, 949, 39, 1049),
    OfficeRow("KPA", "Krông Pắc",        210,  50, 953, 47, 1052),
    OfficeRow("LAK", "Lắk",               65,  15, 937, 30, 1031),
    OfficeRow("MDR", "M'Đrắk",            75,  16, 936, 31, 1034),
    OfficeRow("THO", "Tuy Hòa",          200, 160, 957, 55, 1071),
    OfficeRow("SCA", "Sông Cầu",         105,  35, 950, 33, 1047),
    OfficeRow("DHO", "Đông Hòa",         120,  55, 952, 49, 1056),
    OfficeRow("DXU", "Đồng Xuân",         65,  15, 939, 31, 1037),
    OfficeRow("PHO", "Phú Hòa",          105,  28, 948, 36, 1047),
    OfficeRow("SHO", "Sơn Hòa",           60,  14, 937, 30, 1035),
    OfficeRow("SHI", "Sông Hinh",         50,  12, 935, 30, 1032),
    OfficeRow("THA", "Tây Hòa",          120,  30, 949, 37, 1050),
    OfficeRow("TAN", "Tuy An",           120,  28, 947, 35, 1046),
)
LOCAL_OFFICE_ORDER_START = 101  # departments 1-8, local offices 101-124

# Plan per unit of size / jobs: 24 offices give ≈ 138.600 mandatory, 77.200 voluntary,
# 2.554.000 health insurance participants and ≈ 4.700 billion đồng.
PLAN_PER_SIZE = {"mandatory": 128, "voluntary": 27, "health": 893}  # × jobs, size, size
REVENUE_PLAN_PER_JOB = 4_340_000_000
# The base is a little below the plan: voluntary grows fastest, health least.
BASE_OFFSET = {"mandatory": 0, "voluntary": -15, "health": 10}  # per mille, added to base
LATE_MAX = Decimal("3.50")
LATE_INTEREST_MAX = Decimal("2.00")

# The collection department's direct part (R12): the people and employers the provincial
# office serves itself (provincial agencies, large enterprises); no voluntary participants.
DIRECT = {
    "mandatory_plan": 52_400, "voluntary_plan": 0, "health_plan": 96_000,
    "revenue_plan": 1_800_000_000_000, "base": 960, "nonpublic": 46, "yoy": 1042,
}
# So the province plan is ≈ 191.000 mandatory, 77.200 voluntary, 2.650.000 health insurance
# participants and ≈ 6.500 billion đồng (checked by tests/campaign/test_load_demo.py).


@dataclass(frozen=True)
class Month:
    """One office's cumulative results at a period's end, as rates (percent, strings)."""

    rate: str  # development rate reached on each scheme
    revenue: str  # revenue since 01/01/2025, % of the revenue plan
    late: str  # late payments, % of the amount due
    interest: str | None = None  # late payments bearing interest, % of due (default 45 % of late)
    lag: str = ""  # one scheme held LAG points below `rate` (fails C1 alone)


LAG = Decimal("8")

# The story of the demo, month by month (thresholds 81 %, 91 %, 100 %; ceilings 3,5 % and
# 2,0 %). Some offices pass; others miss one criterion: a lagging scheme (`lag`), revenue
# short, late payments (or only those bearing interest) above the ceiling. Ties (R10, one
# decimal), each among offices that pass:
# - month 1: BMT = THO on the participant rate, the year-on-year ratio decides (THO);
#   CMG = KPA on participant rate, year-on-year and revenue rate: non-public share (KPA);
# - month 2: EKA = KNA on the participant rate, year-on-year decides (EKA);
#   PHO = SCA down to the revenue rate, non-public share decides (PHO);
# - month 3: CKU = KPA, year-on-year decides (CKU); THA = PHO = SCA on the participant
#   rate, THA wins on year-on-year, PHO and SCA tie on to the non-public share (PHO).
MONTHS = {
    #       month 1 (81 %)                      month 2 (91 %)                       month 3 (100 %)
    "BMT": (Month("86.5", "84.0", "2.0"),       Month("93.5", "92.0", "1.9"),        Month("103.2", "101.5", "1.8")),
    "BHO": (Month("80.2", "82.0", "2.5"),       Month("90.0", "91.0", "2.4"),        Month("98.5", "99.0", "2.3")),
    "BDO": (Month("79.0", "80.0", "3.2"),       Month("88.0", "89.0", "3.1"),        Month("97.0", "98.0", "3.0")),
    "CKU": (Month("85.0", "83.0", "2.0", lag="voluntary"),
                                                Month("92.3", "91.6", "2.1"),        Month("100.9", "100.5", "2.0")),
    "CMG": (Month("84.0", "83.0", "2.2"),       Month("92.6", "91.8", "2.0"),        Month("100.6", "100.3", "1.9")),
    "EHL": (Month("83.0", "78.0", "2.6"),       Month("91.3", "89.0", "2.5"),        Month("99.2", "100.2", "2.4")),
    "EKA": (Month("83.1", "82.0", "1.8"),       Month("94.2", "93.0", "1.7"),        Month("102.0", "101.0", "1.6")),
    "ESU": (Month("76.0", "79.0", "4.6"),       Month("86.0", "88.0", "4.2"),        None),
    "KAN": (Month("84.0", "84.0", "3.9"),       Month("92.8", "92.0", "3.6"),        Month("101.5", "100.4", "3.6")),
    "KBO": (Month("78.0", "80.0", "3.4"),       Month("89.0", "90.0", "3.3"),        Month("99.5", "100.0", "3.1")),
    "KBU": (Month("82.0", "81.5", "2.2", lag="health"),
                                                Month("92.0", "92.0", "2.1", lag="voluntary"),
                                                                                     Month("101.0", "100.5", "2.0", lag="voluntary")),
    "KNA": (Month("82.5", "82.0", "3.0"),       Month("94.2", "92.0", "2.8"),        Month("101.8", "100.7", "2.6")),
    "KPA": (Month("84.0", "83.0", "2.5"),       Month("91.5", "91.2", "2.6"),        Month("101.0", "100.2", "2.4")),
    "LAK": (Month("77.0", "78.0", "4.2"),       Month("87.0", "88.0", "3.8"),        Month("96.0", "97.0", "3.9")),
    "MDR": (Month("75.0", "77.0", "5.0"),       Month("85.0", "87.0", "4.6"),        Month("95.0", "96.0", "4.4")),
    "THO": (Month("86.5", "83.0", "2.4"),       Month("93.0", "92.5", "2.2"),        Month("101.4", "100.8", "2.0")),
    "SCA": (Month("83.0", "80.5", "2.9"),       Month("92.1", "91.4", "2.9"),        Month("100.4", "100.0", "2.8")),
    "DHO": (Month("81.7", "81.5", "2.8"),       Month("90.6", "91.5", "2.6"),        Month("100.2", "100.1", "2.5")),
    "DXU": (Month("79.0", "79.0", "3.3"),       Month("90.0", "90.0", "3.2"),        Month("99.8", "99.9", "3.0")),
    "PHO": (Month("82.8", "83.0", "3.2", interest="2.3"),
                                                Month("92.0", "91.4", "3.0"),        Month("100.4", "100.0", "2.9")),
    "SHO": (Month("77.0", "78.0", "4.0"),       Month("88.0", "89.0", "3.5"),        Month("97.0", "98.0", "3.4")),
    "SHI": (Month("74.0", "76.0", "4.8"),       Month("84.0", "86.0", "4.5"),        Month("94.0", "95.0", "4.4")),
    "THA": (Month("81.9", "82.0", "2.7", lag="mandatory"),
                                                Month("91.6", "91.3", "2.4", lag="health"),
                                                                                     Month("100.5", "100.6", "2.5")),
    "TAN": (Month("82.2", "81.2", "3.1"),       Month("92.0", "90.5", "3.0"),        Month("101.1", "99.6", "2.9")),
}
DIRECT_MONTHS = (Month("87.0", "85.0", "1.5"), Month("95.0", "93.0", "1.4"), Month("104.0", "102.0", "1.2"))

# Month 3 is still being collected: two offices have only saved a draft and one has nothing
# (ESU above), so "draft" and "missing" both show in the standings.
DRAFTS = {3: {"KNA", "MDR"}}

# --- staff ----------------------------------------------------------------------------------

FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
    "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
)  # 16
GIVEN_NAMES = (
    "Văn Hùng", "Thị Lan", "Minh Tuấn", "Thị Hồng Nhung", "Đức Thắng", "Thị Thu Hà",
    "Quang Huy", "Ngọc Ánh", "Văn Sơn", "Thị Mai", "Hữu Phước", "Thanh Hương",
    "Công Danh", "Thị Kim Oanh", "Xuân Trường", "Thị Bích Ngọc", "Anh Khoa", "Thị Yến",
    "Văn Toàn", "Phương Thảo", "Đình Long", "Thị Hạnh", "Trọng Nghĩa", "Thu Trang",
    "Quốc Bảo", "Thị Diễm", "Hoàng Nam", "Mỹ Linh", "Văn Lực", "Thị Thanh Tâm",
)  # 30; person n is FAMILY_NAMES[n % 16] + GIVEN_NAMES[7n % 30]: unique for n < 240
# Ê Đê names (family name last) for the deputy director of a few highland offices.
HIGHLAND_DEPUTIES = {
    "BDO": "Y Thoát Ênuôl", "ESU": "H'Yăm Byă", "LAK": "Y Khuê Niê",
    "MDR": "H'Linh Mlô", "KBO": "Y Thuôn Êban", "EHL": "H'Wen Adrơng",
}
TITLES = {
    "BGD": ("Giám đốc", "Phó Giám đốc", "Phó Giám đốc", "Phó Giám đốc"),
    Unit.Kind.DEPARTMENT: (
        "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên", "Chuyên viên",
        "Viên chức",
    ),
    Unit.Kind.LOCAL_OFFICE: (
        "Giám đốc", "Phó Giám đốc", "Viên chức chuyên quản thu", "Viên chức tiếp nhận hồ sơ",
        "Viên chức", "Nhân viên",
    ),
}


def office_staff_count(office: OfficeRow) -> int:
    return 6 if office.size >= 150 else 5 if office.size >= 110 else 4 if office.size >= 80 else 3


# --- demo logins ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a Role value, or "" for the superuser
    unit_code: str
    person_index: int  # which staff member of the unit the account belongs to

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "Quản trị hệ thống (superuser)"


LOGINS = (
    DemoLogin("canbo.bmt", Role.UNIT_STAFF, "BMT", 2),
    DemoLogin("canbo.eka", Role.UNIT_STAFF, "EKA", 2),  # a second office, for permission demos
    DemoLogin("qlt", Role.COMPILER, "QLT", 2),
    DemoLogin("tchc", Role.APPRAISER, "TCHC", 2),
    DemoLogin("khtc", Role.FINANCE, "KHTC", 2),
    DemoLogin("giamdoc", Role.DIRECTOR, "BGD", 0),
    DemoLogin("admin", "", "CNTT", 2),
)


# --- result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginLine:
    username: str
    password: str
    role: str
    unit: str


@dataclass
class DemoSummary:
    campaign: str = ""  # its code, from the definition file
    with_figures: bool = True
    departments: int = 0
    local_offices: int = 0
    people: int = 0
    periods: int = 0
    targets: int = 0
    reports: int = 0
    created: int = 0  # rows written for the first time by this run
    updated: int = 0  # rows that existed and were brought back to the demo values
    logins: list[LoginLine] = field(default_factory=list)


# --- arithmetic ---------------------------------------------------------------------------------


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


def _half_up(value: Fraction) -> int:
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def _pct(text: str | Decimal) -> Fraction:
    return Fraction(Decimal(text)) / 100


def _target_figures(plans: dict[str, int], base: int, revenue_plan: int) -> dict:
    figures = {}
    for scheme, plan in plans.items():
        per_mille = base + BASE_OFFSET[scheme]
        figures[f"{scheme}_plan"] = plan
        figures[f"{scheme}_base"] = _half_up(Fraction(plan * per_mille, 1000))
    figures.update(revenue_plan=revenue_plan, late_max=LATE_MAX, late_interest_max=LATE_INTEREST_MAX)
    return figures


def office_target(office: OfficeRow) -> dict:
    plans = {
        "mandatory": office.jobs * PLAN_PER_SIZE["mandatory"],
        "voluntary": office.size * PLAN_PER_SIZE["voluntary"],
        "health": office.size * PLAN_PER_SIZE["health"],
    }
    return _target_figures(plans, office.base, office.jobs * REVENUE_PLAN_PER_JOB)


def direct_target() -> dict:
    """The collection department's own part; not stored (see province_target)."""
    plans = {s: DIRECT[f"{s}_plan"] for s in ("mandatory", "voluntary", "health")}
    return _target_figures(plans, DIRECT["base"], DIRECT["revenue_plan"])


def province_target() -> dict:
    """The province plan: every local office's target plus the direct part, summed.

    Stored as the collection department's (QLT) Target: R12 judges QLT on the province
    totals (the sums of all reports of the period, its own direct-part report included)
    against "its own province-level target", and a unit has one Target per campaign. The
    direct part's own plan and base are therefore NOT stored anywhere: they are this
    province target minus the local offices' targets. QLT's own Report holds only the
    direct part (DIRECT_MONTHS on direct_target()); the totals QLT is judged on are
    computed from every report, never typed.
    """
    parts = [office_target(o) for o in LOCAL_OFFICES] + [direct_target()]
    total = {name: sum(p[name] for p in parts) for name in parts[0] if name.endswith(("_plan", "_base"))}
    total.update(late_max=LATE_MAX, late_interest_max=LATE_INTEREST_MAX)
    return total


def month_figures(target: dict, month: Month, *, nonpublic: int, yoy: int) -> dict:
    """A report's figures from a target and a month's rates (all integers)."""
    figures = {}
    for scheme in ("mandatory", "voluntary", "health"):
        plan, base = target[f"{scheme}_plan"], target[f"{scheme}_base"]
        rate = _pct(month.rate) - (_pct(LAG) if month.lag == scheme else 0)
        actual = base + _half_up(rate * (plan - base))
        figures[f"{scheme}_actual"] = actual
        figures[f"{scheme}_last_year"] = _half_up(Fraction(actual * 1000, yoy))
    revenue = _half_up(target["revenue_plan"] * _pct(month.revenue))
    due = _half_up(Fraction(revenue * 100, 97))
    late = _floor(due * _pct(month.late))
    interest_rate = _pct(month.interest) if month.interest else _pct(month.late) * Fraction(45, 100)
    figures.update(
        revenue=revenue,
        nonpublic_revenue=_half_up(Fraction(revenue * nonpublic, 100)),
        due=due,
        late=late,
        late_interest=min(late, _floor(due * interest_rate)),
    )
    return figures


def submitted_at(period_last_day: dt.date, index: int) -> dt.datetime:
    """Inside the roll-up window: 1 to 4 days after the period's end, office hours."""
    day = period_last_day + dt.timedelta(days=1 + index % 4)
    return dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=VN) + dt.timedelta(
        minutes=(index * 37) % 420
    )


# --- writing ------------------------------------------------------------------------------------


def _sync(model, summary: DemoSummary, lookup: dict, values: dict, *, exclude=()):
    """get-or-create by natural key, then write only the values that differ.

    Every row is validated as a form would (field validators and the model's constraints)
    before it is written.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(exclude=exclude)
        obj.save()
        summary.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean(exclude=exclude)
        obj.save()
        summary.updated += 1
    return obj


def _load_units(summary: DemoSummary) -> dict[str, Unit]:
    units = {}
    for code, name, order, _ in DEPARTMENTS:
        units[code] = _sync(Unit, summary, {"code": code}, {
            "name": name, "kind": Unit.Kind.DEPARTMENT, "active": True, "order": order,
            "is_collection_department": code == COLLECTION_DEPARTMENT,
            "is_directorate": code == DIRECTORATE,
        })
    for index, office in enumerate(LOCAL_OFFICES):
        units[office.code] = _sync(Unit, summary, {"code": office.code}, {
            "name": office.name, "kind": Unit.Kind.LOCAL_OFFICE, "active": True,
            "order": LOCAL_OFFICE_ORDER_START + index, "is_collection_department": False,
        })
    summary.departments = len(DEPARTMENTS)
    summary.local_offices = len(LOCAL_OFFICES)
    return units


def staff_plan() -> dict[str, list[tuple[str, str]]]:
    """(full name, title) of every demo staff member, by unit code; computed from indices."""
    roster = [(code, count, TITLES.get(code) or TITLES[Unit.Kind.DEPARTMENT])
              for code, _, _, count in DEPARTMENTS]
    roster += [(o.code, office_staff_count(o), TITLES[Unit.Kind.LOCAL_OFFICE]) for o in LOCAL_OFFICES]
    plan, serial = {}, 0
    for code, count, titles in roster:
        people = []
        for k in range(count):
            name = f"{FAMILY_NAMES[serial % 16]} {GIVEN_NAMES[(7 * serial) % 30]}"
            if k == 1 and code in HIGHLAND_DEPUTIES:
                name = HIGHLAND_DEPUTIES[code]
            people.append((name, titles[k]))
            serial += 1
        plan[code] = people
    return plan


def _load_users(summary: DemoSummary, units: dict[str, Unit], plan) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for login in LOGINS:
        full_name = plan[login.unit_code][login.person_index][0]
        # Django's get_full_name() is "first last"; a Vietnamese name puts the family name
        # first, so first_name holds everything but the last word: the full name reads right.
        first_name, _, last_name = full_name.rpartition(" ")
        superuser = not login.role
        user = _sync(User, summary, {"username": login.username}, {
            "first_name": first_name, "last_name": last_name,
            "email": f"{login.username}@example.com",
            "is_active": True, "is_staff": superuser, "is_superuser": superuser,
        }, exclude=["password"])  # set just below, hashed
        if not user.password:
            # Only a login the demo just created gets the demo password: one whose password
            # was changed since keeps it.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        wanted = {login.role} if login.role else set()
        if set(user.groups.values_list("name", flat=True)) != wanted:
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in wanted])
        users[login.username] = user
        summary.logins.append(LoginLine(login.username, DEMO_PASSWORD, login.role_label,
                                        units[login.unit_code].name))
    return users


def _load_people(summary: DemoSummary, units: dict[str, Unit], plan, users) -> None:
    accounts = {(x.unit_code, x.person_index): users[x.username] for x in LOGINS}
    for code, members in plan.items():
        for k, (full_name, title) in enumerate(members):
            values = {"title": title, "active": True}
            if (code, k) in accounts:
                values["user"] = accounts[code, k]
            _sync(Person, summary, {"unit": units[code], "full_name": full_name}, values)
            summary.people += 1


def _load_organisation(summary: DemoSummary, head_name: str) -> Organisation:
    return _sync(Organisation, summary, {"singleton": 1}, {**ORGANISATION, "head_name": head_name})


def _load_campaign(summary: DemoSummary) -> tuple[Campaign, list[Period]]:
    result = campaign_load(definition=load_definition(CAMPAIGN_FILE.read_text(encoding="utf-8")))
    campaign = result.campaign
    summary.campaign = campaign.code
    if result.created:
        summary.created += 1
    elif result.changed:
        summary.updated += 1
    periods = list(campaign.periods.order_by("number"))
    summary.periods = len(periods)
    return campaign, periods


def _load_figures(summary: DemoSummary, campaign, periods, units, users) -> None:
    compiler = users["qlt"]
    staff_of = {login.unit_code: users[login.username]
                for login in LOGINS if login.role == Role.UNIT_STAFF}
    # Each reporting unit: (unit, its target, the target its results are made from, the
    # monthly rates, non-public share, year-on-year ratio).
    reporting = [
        (units[o.code], office_target(o), office_target(o), MONTHS[o.code], o.nonpublic, o.yoy)
        for o in LOCAL_OFFICES
    ]
    reporting.append((units[COLLECTION_DEPARTMENT], province_target(), direct_target(),
                      DIRECT_MONTHS, DIRECT["nonpublic"], DIRECT["yoy"]))
    for index, (unit, target, basis, months, nonpublic, yoy) in enumerate(reporting):
        _sync(Target, summary, {"campaign": campaign, "unit": unit}, {**target, "updated_by": compiler})
        summary.targets += 1
        for period, month in zip(periods, months, strict=True):
            if month is None or period.is_locked:
                continue  # no report at all, or a rolled-up period: its figures are final
            author = staff_of.get(unit.code, compiler)
            at = submitted_at(period.last_day, index)
            draft = unit.code in DRAFTS.get(period.number, set())
            report = _sync(Report, summary, {"period": period, "unit": unit}, {
                **month_figures(basis, month, nonpublic=nonpublic, yoy=yoy),
                "status": Report.Status.DRAFT if draft else Report.Status.SUBMITTED,
                "source": Report.Source.FORM, "import_batch": None,
                "submitted_at": None if draft else at,
                "submitted_by": None if draft else author,
                "updated_by": author,
            })
            summary.reports += 1
            _sync_event(summary, report, author, at, draft)


def _sync_event(summary: DemoSummary, report: Report, actor, at: dt.datetime, draft: bool) -> None:
    """One history line per demo report, dated when the demo says it was saved or sent."""
    action = ReportEvent.Action.SAVED if draft else ReportEvent.Action.SUBMITTED
    events = list(ReportEvent.objects.filter(report=report, note=DEMO_NOTE))
    if len(events) == 1 and (events[0].action, events[0].actor_id, events[0].at) == (action, actor.pk, at):
        return
    ReportEvent.objects.filter(pk__in=[e.pk for e in events]).delete()
    event = ReportEvent.objects.create(report=report, action=action, actor=actor, note=DEMO_NOTE)
    ReportEvent.objects.filter(pk=event.pk).update(at=at)  # `at` is auto_now_add
    summary.created += 1


@transaction.atomic
def demo_load(*, with_figures: bool = True) -> DemoSummary:
    """Load (or bring back) the Đắk Lắk demo; a second run changes nothing.

    Without figures: the same organisation, campaign, periods, staff and logins, but no
    targets and no reports (for an office that will import its own). Existing targets
    and reports are never deleted.
    """
    summary = DemoSummary(with_figures=with_figures)
    units = _load_units(summary)
    campaign, periods = _load_campaign(summary)
    plan = staff_plan()
    organisation = _load_organisation(summary, head_name=plan[DIRECTORATE][0][0])
    users = _load_users(summary, units, plan)
    _load_people(summary, units, plan, users)
    if with_figures:
        _load_figures(summary, campaign, periods, units, users)
    # A throw-away CA, certificates and images marked DEMO, so approved decisions come out
    # signed; an office's own certificates, if installed, are never replaced.
    demo_loaded.send(sender=demo_load, organisation=organisation)
    return summary
