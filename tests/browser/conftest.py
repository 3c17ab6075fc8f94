"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server.

Playwright's sync API runs an asyncio loop in the test thread, and Django refuses database
work from a thread with a running loop. The tests set up their data and check the database
from that thread, so this switch turns the guard off, for the test process only: it is set
here, never in settings or in a deployed server's environment.

No test tool downloads a browser here: Chromium is Debian's package at /usr/bin/chromium
(`bin/setup test` installs it when running as root). Without it these tests skip, saying why,
unless REQUIRE_SERVICES=1 (CI), where they fail instead.

Every test saves a full-page screenshot of each page it visits under
artifacts/screenshots/<test>/NN-<name>.png (and one named failure.png when it fails);
$ARTIFACTS_DIR replaces artifacts/ when set.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from units.models import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's hosts at start-up,
# which this machine's closed network refuses, many times over.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
# CI (.ci/run) points ARTIFACTS_DIR at one folder per database it runs the suite on.
SCREENSHOTS = Path(os.environ.get("ARTIFACTS_DIR") or REPO / "artifacts") / "screenshots"
PASSWORD = "test-pass-123"  # the cast's password (tests/conftest.py)
# Playwright's default of 30 s per action; a page of this app answers in well under a second,
# but CI machines can be slow on the first request (template compilation, cold caches).
TIMEOUT_MS = 20_000


def _services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def _missing_reason() -> str:
    return (
        f"Chromium not found at {CHROMIUM}: browser tests need Debian's package "
        "(`apt-get install chromium`, or run `bin/setup test` as root)."
    )


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests up front when Chromium is missing, unless CI requires them."""
    if CHROMIUM.exists() or _services_required():
        return
    skip = pytest.mark.skip(reason=_missing_reason())
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if _services_required():
            pytest.fail(_missing_reason() + " REQUIRE_SERVICES=1, so this is a failure.",
                        pytrace=False)
        pytest.skip(_missing_reason())
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def page(page):
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def cast(transactional_db, live_server, cast):
    """The shared cast, on a database the live server's threads can see.

    A transactional test ends with a flush, which also empties the role groups that a data
    migration created, so they are made again here for the browser tests that follow.
    """
    return cast


@pytest.fixture(autouse=True)
def _role_groups(request):
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    for role in Role.values:
        Group.objects.get_or_create(name=role)


class Screenshots:
    """Numbered full-page screenshots of one test: artifacts/screenshots/<test>/NN-<name>.png."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.page = None
        self.taken: list[Path] = []

    def __call__(self, page, name: str) -> Path:
        self.page = page
        self.count += 1
        path = self.folder / f"{self.count:02d}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "page"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_browser_rep_{report.when}", report)


@pytest.fixture
def shot(request):
    """Call `shot(page, "name")` after each page the test visits."""
    folder = SCREENSHOTS / _slug(getattr(request.node, "originalname", None) or request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    screenshots = Screenshots(folder)
    yield screenshots
    report = getattr(request.node, "_browser_rep_call", None)
    if report is not None and report.failed and screenshots.page is not None:
        try:
            screenshots.page.screenshot(path=str(folder / "failure.png"), full_page=True)
        except Exception:  # the page may be gone; the failure itself is what matters
            pass


def _is_favicon_miss(msg) -> bool:
    # The site declares no icon, so Chromium asks for /favicon.ico by itself and logs the 404
    # as a console error. That request is the browser's, not the page's; every other failed
    # resource (a missing script or stylesheet) still counts.
    return msg.location.get("url", "").endswith("/favicon.ico")


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught exceptions of the page, collected as they happen."""
    errors: list[str] = []

    def on_console(msg):
        if msg.type == "error" and not _is_favicon_miss(msg):
            errors.append(f"console.error: {msg.text} @ {msg.location.get('url')}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


@pytest.fixture
def login(live_server):
    """Log a user of the cast in through the login page, as a person would."""

    def _login(page, username: str, shot=None, password: str = PASSWORD):
        page.goto(f"{live_server.url}/dang-nhap/")
        if shot is not None:
            shot(page, f"login-{username}")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    return _login


@pytest.fixture
def logout():
    def _logout(page):
        page.get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url(re.compile(r"/dang-nhap/"))

    return _logout
