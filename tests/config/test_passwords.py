"""Every user changes their own password and resets a forgotten one by e-mail, in Vietnamese;
an account created in the admin with a temporary password must change it at first login."""

import re

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from units.models import PasswordChangeRequired

from ..conftest import PASSWORD

NEW = "Mat-khau-moi-2025!"


def test_a_user_changes_their_password(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in page and "Mật khẩu cũ" in page
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.url == reverse("password_change_done")
    cast.staff_a.refresh_from_db()
    assert cast.staff_a.check_password(NEW)


def test_a_forgotten_password_is_reset_through_the_link_mailed(client, cast):
    cast.staff_a.email = "staff_a@example.vn"
    cast.staff_a.save()
    assert "Quên mật khẩu?" in client.get(reverse("login")).content.decode()
    client.post(reverse("password_reset"), {"email": "staff_a@example.vn"})
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "[Thi đua] Đặt lại mật khẩu"
    link = re.search(r"http://testserver(\S*/dat-lai-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django hides the token behind a redirect
    page = client.get(form_url).content.decode()
    assert "Đặt mật khẩu mới" in page
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.url == reverse("password_reset_complete")
    cast.staff_a.refresh_from_db()
    assert cast.staff_a.check_password(NEW)


def test_an_account_created_in_the_admin_must_change_its_password_at_first_login(client, cast):
    client.force_login(cast.admin)
    client.post(reverse("admin:auth_user_add"), {
        "username": "moi", "password1": "Tam-thoi-2025!", "password2": "Tam-thoi-2025!",
        "usable_password": "true"})
    user = User.objects.get(username="moi")
    assert PasswordChangeRequired.objects.filter(user=user).exists()
    client.logout()

    client.post(reverse("login"), {"username": "moi", "password": "Tam-thoi-2025!"})
    assert client.get(reverse("home")).url == reverse("password_change")
    assert client.get(reverse("scoring:rules")).url == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "mật khẩu tạm" in page
    client.post(reverse("password_change"), {
        "old_password": "Tam-thoi-2025!", "new_password1": NEW, "new_password2": NEW})
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
    assert client.get(reverse("home")).status_code == 200


def test_accounts_made_by_code_like_the_demos_are_not_asked(client, cast):
    client.post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
