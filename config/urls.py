from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Thi đua BHXH tỉnh Đắk Lắk"
admin.site.site_title = "Quản trị thi đua"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("campaign.urls")),
]
