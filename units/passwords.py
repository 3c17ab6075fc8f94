"""A temporary password is changed at first login: until it is, every page leads to the
password change form. The admin marks the accounts it creates (units/admin.py); changing the
password, through Django's own view, clears the mark."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from .models import PasswordChangeRequired

# What a user with a temporary password may still open: the change form itself, logging out,
# and the static files the form's page needs.
ALLOWED = ("password_change", "password_change_done", "logout")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and request.session.get("must_change_password")
                and request.path not in {reverse(name) for name in ALLOWED}):
            if PasswordChangeRequired.objects.filter(user=user).exists():
                return redirect("password_change")
            request.session.pop("must_change_password", None)
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="units.password_change_required")
def remember_required_change(sender, request, user, **kwargs):
    """Asked once, at login: the pages after it read the session, not the database."""
    if PasswordChangeRequired.objects.filter(user=user).exists():
        request.session["must_change_password"] = True


def password_changed(user) -> None:
    PasswordChangeRequired.objects.filter(user=user).delete()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view; a changed password also clears the temporary-password mark."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(form.user)
        self.request.session.pop("must_change_password", None)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(form.user)
        return response
