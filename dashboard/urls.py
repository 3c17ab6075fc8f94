from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/xuat.xlsx", views.dashboard_export, name="export"),
    path("don-vi-cua-toi/", views.own_panel, name="own_panel"),
    path("don-vi/<str:unit_code>/", views.unit_panel, name="unit_panel"),
]
