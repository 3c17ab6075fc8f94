from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaign import views as campaign_views
from dashboard import views as dashboard_views
from units import passwords
from units.admin import site_header

admin.site.site_header = site_header
admin.site.site_title = "Quản trị thi đua"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("phong-trao/", campaign_views.archive, name="archive"),
    path("excel/", include("campaign.excel_urls")),
    path("", include("campaign.urls")),
    path("", include("scoring.urls")),
    path("", include("awards.urls")),
    path("", include("dashboard.urls")),
]
