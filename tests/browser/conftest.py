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

Every page a test visits (each `shot`, the login page, and any page passed to `axe`) is also
checked with axe-core against WCAG 2.1 A and AA (docs/accessibility.md): one violation fails
the test, naming the rule and the elements. What axe could not decide by itself ("incomplete")
does not fail; it is listed at the end of the run for a person to look at, and every result is
written to artifacts/axe/<test>.json.
"""

import json
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
AXE_DIR = SCREENSHOTS.parent / "axe"
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


# axe-core, vendored with its licence (tests/browser/assets/README.md): the tests never fetch it.
AXE_SOURCE = Path(__file__).resolve().parent / "assets" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: the standard the application is held to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN_JS = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations", "incomplete"],
  });
  const brief = (rules) => rules.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "),
      html: node.html.slice(0, 160),
      why: node.failureSummary || node.any.concat(node.all, node.none)
        .map((check) => check.message).join("; "),
    })),
  }));
  return {violations: brief(result.violations), incomplete: brief(result.incomplete)};
}
"""
# What axe left undecided, per page, gathered over the run for the terminal summary.
AXE_INCOMPLETE: list[tuple[str, str, dict]] = []


class Axe:
    """Runs axe-core on the page as it stands and fails the test on any violation."""

    def __init__(self, test: str):
        self.test = test
        self.results: list[dict] = []

    def __call__(self, page, label: str) -> dict:
        # Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not
        # block it, and the application never serves it.
        if page.evaluate("() => typeof window.axe") == "undefined":
            page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        result = page.evaluate(AXE_RUN_JS, AXE_TAGS)
        where = f"{label} ({page.url})"
        self.results.append({"page": label, "url": page.url, **result})
        self._write()
        for rule in result["incomplete"]:
            AXE_INCOMPLETE.append((self.test, where, rule))
        if result["violations"]:
            pytest.fail(f"axe-core: WCAG violations on {where}:\n"
                        + "\n".join(_describe(rule) for rule in result["violations"]),
                        pytrace=False)
        return result

    def _write(self):
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        (AXE_DIR / f"{_slug(self.test)}.json").write_text(
            json.dumps(self.results, ensure_ascii=False, indent=1), encoding="utf-8")


def _describe(rule: dict, limit: int = 8) -> str:
    lines = [f"- {rule['id']} ({rule['impact']}): {rule['help']}, {len(rule['nodes'])} element(s)"]
    for node in rule["nodes"][:limit]:
        lines.append(f"    {node['target']}: {node['why']}".replace("\n", " "))
    if len(rule["nodes"]) > limit:
        lines.append(f"    … and {len(rule['nodes']) - limit} more")
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter):
    if not AXE_INCOMPLETE:
        return
    terminalreporter.section("axe-core: incomplete results, for a person to check")
    # The same undecided elements on several pages of a test (a page seen again after a save)
    # are listed once, with every page they were on.
    pages: dict[tuple, list[str]] = {}
    rules: dict[tuple, dict] = {}
    for test, where, rule in AXE_INCOMPLETE:
        key = (test, rule["id"], tuple(node["target"] for node in rule["nodes"]))
        pages.setdefault(key, []).append(where)
        rules[key] = rule
    for key, wheres in pages.items():
        terminalreporter.write_line(f"{key[0]} · {'; '.join(wheres)}")
        terminalreporter.write_line(_describe(rules[key], limit=3))


@pytest.fixture
def axe(request):
    """Call `axe(page, "name")` on a page the test visits without a screenshot."""
    return Axe(_test_name(request.node))


class Screenshots:
    """Numbered full-page screenshots of one test: artifacts/screenshots/<test>/NN-<name>.png.

    Each screenshot's page is also checked by axe-core.
    """

    def __init__(self, folder: Path, axe: Axe):
        self.folder = folder
        self.axe = axe
        self.count = 0
        self.page = None
        self.taken: list[Path] = []

    def __call__(self, page, name: str) -> Path:
        self.page = page
        self.count += 1
        path = self.folder / f"{self.count:02d}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        self.axe(page, f"{self.count:02d}-{name}")
        return path


def _test_name(node) -> str:
    """The test's name, with its parameters but without the browser's: test_x, test_y[staff_a]."""
    return re.sub(r"\[chromium\]$", "", node.name).replace("[chromium-", "[")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "page"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_browser_rep_{report.when}", report)


@pytest.fixture
def shot(request, axe):
    """Call `shot(page, "name")` after each page the test visits."""
    folder = SCREENSHOTS / _slug(_test_name(request.node))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    screenshots = Screenshots(folder, axe)
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
def login(live_server, axe):
    """Log a user of the cast in through the login page, as a person would."""

    def _login(page, username: str, shot=None, password: str = PASSWORD):
        page.goto(f"{live_server.url}/dang-nhap/")
        if shot is not None:
            shot(page, f"login-{username}")
        else:
            axe(page, f"login-{username}")
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
