"""No template or module names one campaign's year or one office's province: those come from
the campaign and the organisation (data). Demo data, fixtures, migrations, tests, docs and
vendored files may name them; everything else the project ships is scanned, comments included.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCANNED_SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".toml"}

# Paths (relative, POSIX) or directory prefixes that may name a year or a place.
EXEMPT_PREFIXES = (
    "campaign/demo.py",  # the demo is one real office's campaign
    "fixtures/",
    "tests/",
    "docs/",
    "static/vendor/",
)
# Generated folders (test artifacts, uploads, the install's egg-info) are output, not code.
EXEMPT_PARTS = {"migrations", ".venv", "node_modules", ".git", "__pycache__", "staticfiles",
                ".hypothesis", ".pytest_cache", "artifacts", "media", "bench-results"}

# One campaign's years and the first office's province, however it is spelled.
FORBIDDEN = re.compile(
    r"(?<!\d)(?:2024|2025|2026)(?!\d)"
    r"|đắk\s*lắk|dak\s*lak|daklak|đắc\s*lắc"
    r"|phú\s*yên|phu\s*yen",
    re.IGNORECASE,
)

# A dependency's own version number is not a year of ours: `name==2026.9` in pyproject.toml.
ALLOWED_LINE = re.compile(r'^\s*"[A-Za-z0-9_.\-\[\]]+==[0-9.]+",')


def literal_lines(text: str) -> list[tuple[int, str]]:
    """The lines of `text` that name a year or the province: (line number, the line)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if ALLOWED_LINE.match(line):
            continue
        if FORBIDDEN.search(line):
            found.append((number, line.strip()))
    return found


def scanned_files(root: Path) -> list[Path]:
    files = []
    for path in root.rglob("*"):
        if path.suffix not in SCANNED_SUFFIXES or not path.is_file():
            continue
        relative = path.relative_to(root)
        folders = relative.parts[:-1]
        if EXEMPT_PARTS & set(folders) or any(part.endswith(".egg-info") for part in folders):
            continue
        if relative.as_posix().startswith(EXEMPT_PREFIXES):
            continue
        files.append(path)
    return sorted(files)


def offending_lines(root: Path) -> list[str]:
    """Every offending line under `root` as "path:line: text"."""
    report = []
    for path in scanned_files(root):
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in literal_lines(text):
            report.append(f"{path.relative_to(root).as_posix()}:{number}: {line}")
    return report


def test_no_template_or_module_names_a_year_or_the_province():
    offending = offending_lines(ROOT)
    assert not offending, "Năm hoặc địa danh viết cứng (lấy từ phong trào / cơ quan):\n" + "\n".join(offending)


def test_the_scan_finds_years_and_the_province_in_any_spelling_and_in_comments():
    sample = "\n".join([
        "x = 1",
        "# the 2025 campaign",
        "<title>BHXH tỉnh Đắk Lắk</title>",
        'HEAD = "BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK"',
        "creator = 'Thi dua Dak Lak'",
        "place = 'Phú Yên'",
        "baseline = '31/12/2024'",
        "code = 'NUOCRUT2026'",
        "count = 120250",  # a longer number that merely contains 2025
        "ok = 'Bảo hiểm xã hội tỉnh …'",
    ])
    assert [number for number, _ in literal_lines(sample)] == [2, 3, 4, 5, 6, 7, 8]


def test_a_dependency_pin_is_a_version_not_a_year_but_a_description_is_scanned():
    sample = '    "crispy-bootstrap5==2026.9",   # Bootstrap 5 template pack\ndescription = "Đắk Lắk"\n'
    assert literal_lines(sample) == [(2, 'description = "Đắk Lắk"')]


def test_the_scan_reports_a_file_and_line_outside_the_exempt_places(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>ok</p>\n<p>năm 2025</p>\n", encoding="utf-8")
    for exempt in ("tests", "docs", "fixtures", "units/migrations"):
        (tmp_path / exempt).mkdir(parents=True)
        (tmp_path / exempt / "x.py").write_text("YEAR = 2025\n", encoding="utf-8")
    (tmp_path / "campaign").mkdir()
    (tmp_path / "campaign" / "demo.py").write_text("PLACE = 'Đắk Lắk'\n", encoding="utf-8")
    (tmp_path / "campaign" / "views.py").write_text("# for Đắk Lắk only\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("2025\n", encoding="utf-8")

    assert offending_lines(tmp_path) == [
        "campaign/views.py:1: # for Đắk Lắk only",
        "templates/page.html:2: <p>năm 2025</p>",
    ]
