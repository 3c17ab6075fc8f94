from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard import views as dashboard_views

admin.site.site_header = "Thi đua BHXH tỉnh Đắk Lắk"
admin.site.site_title = "Quản trị thi đua"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("excel/", include("campaign.excel_urls")),
    path("", include("campaign.urls")),
    path("", include("scoring.urls")),
    path("", include("awards.urls")),
    path("", include("dashboard.urls")),
]
