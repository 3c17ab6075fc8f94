import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password, ip="10.0.0.5"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_brute_force_is_locked_out_with_a_vietnamese_page(client, cast):
    for _ in range(5):
        _login(client, "staff_a", "wrong")
    response = _login(client, "staff_a", "test-pass-123")
    assert response.status_code == 429
    page = response.content.decode()
    assert "tạm thời bị khóa" in page
    assert "trong 15 phút" in page


def test_lockout_is_per_username_and_ip_so_colleagues_behind_one_nat_still_log_in(client, cast):
    for _ in range(5):
        _login(client, "staff_a", "wrong")
    response = _login(client, "staff_b", "test-pass-123")
    assert response.status_code == 302  # same office IP, another user: not locked
    client.logout()
    response = _login(client, "staff_a", "test-pass-123", ip="10.0.0.99")
    assert response.status_code == 302  # same user from another address: not locked


def test_behind_the_proxy_a_stranger_cannot_lock_the_director_out(client, cast, settings):
    # Every request reaches Django from nginx (127.0.0.1); nginx appends the real address.
    settings.TRUSTED_PROXIES = 1

    def login_via_proxy(password, forwarded):
        return client.post(reverse("login"), {"username": "director", "password": password},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for _ in range(5):  # the attacker also forges an address of the office in front
        login_via_proxy("wrong", "10.0.0.5, 203.0.113.7")
    assert login_via_proxy("test-pass-123", "203.0.113.7").status_code == 429  # locked: the pair
    assert login_via_proxy("test-pass-123", "10.0.0.5").status_code == 302  # the director, elsewhere


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(client, cast, settings):
    settings.TRUSTED_PROXIES = 0
    for n in range(5):  # a new forged address each time must not buy new attempts
        client.post(reverse("login"), {"username": "director", "password": "wrong"},
                    REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    response = client.post(reverse("login"), {"username": "director", "password": "test-pass-123"},
                           REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="10.9.9.99")
    assert response.status_code == 429


def test_a_correct_login_before_the_limit_works(client, cast):
    for _ in range(3):
        _login(client, "staff_a", "wrong")
    assert _login(client, "staff_a", "test-pass-123").status_code == 302


def test_csp_header_allows_no_inline_script_and_no_cdn(client, cast):
    client.force_login(cast.staff_a)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_scripts():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for chunk in text.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head, f"inline <script> in {path.relative_to(ROOT)}"


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "thidua.example.vn", "SITE_URL": "https://thidua.example.vn"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_e_mail_links_point_at_this_machine():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL"))}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "thidua.example.vn"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "thidua.W001" in result.stdout + result.stderr


def test_error_pages_speak_vietnamese(client, cast):
    client.force_login(cast.staff_a)
    not_found = client.get("/khong-co-trang-nay/")
    assert not_found.status_code == 404 and "Không tìm thấy trang này" in not_found.content.decode()
    forbidden = client.get(reverse("campaign:targets"))
    assert forbidden.status_code == 403
    assert "Chỉ Phòng Quản lý thu được thực hiện thao tác này." in forbidden.content.decode()


def test_a_stale_form_explains_itself(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff_a)
    response = client.post(reverse("campaign:report_edit", args=[1, "AAA"]), {"save": "1"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
