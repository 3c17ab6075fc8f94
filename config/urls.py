from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaign import views as campaign_views
from units.admin import site_header

admin.site.site_header = site_header
admin.site.site_title = "Quản trị thi đua"

urlpatterns = [
    path("", campaign_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("phong-trao/", campaign_views.archive, name="archive"),
    path("excel/", include("campaign.excel_urls")),
    path("", include("campaign.urls")),
    path("", include("scoring.urls")),
    path("", include("awards.urls")),
    path("", include("dashboard.urls")),
]
