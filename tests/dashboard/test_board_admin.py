"""The lobby links in Django's admin: listed without their hashes, made on the app's page,
revoked through the service."""

from django.urls import reverse

from dashboard.models import BoardLink
from dashboard.services import board_link_create


def test_the_admin_lists_links_without_their_hashes(client, cast):
    link, token = board_link_create(user=cast.admin, label="Màn hình sảnh")
    client.force_login(cast.admin)
    listing = client.get(reverse("admin:dashboard_boardlink_changelist")).content.decode()
    assert "Màn hình sảnh" in listing and link.token_hash not in listing and token not in listing
    page = client.get(reverse("admin:dashboard_boardlink_change", args=[link.pk])).content.decode()
    assert link.token_hash not in page and token not in page


def test_adding_in_the_admin_leads_to_the_page_that_shows_the_address_once(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("admin:dashboard_boardlink_add"))
    assert response.status_code == 302 and response["Location"].endswith("/bang-cong-khai/duong-dan/")


def test_the_admin_action_revokes_through_the_service(client, cast):
    link, _ = board_link_create(user=cast.admin, label="Màn hình sảnh")
    client.force_login(cast.admin)
    response = client.post(reverse("admin:dashboard_boardlink_changelist"),
                           {"action": "revoke", "_selected_action": [link.pk]}, follow=True)
    assert "Đã thu hồi đường dẫn «Màn hình sảnh»." in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_by == cast.admin
    assert BoardLink.objects.filter(revoked_at__isnull=True).count() == 0
