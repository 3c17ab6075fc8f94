from django.urls import path

import units.converters  # noqa: F401  (the "code" converter)

from . import views

app_name = "dashboard"

urlpatterns = [
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/xuat.xlsx", views.dashboard_export, name="export"),
    path("don-vi-cua-toi/", views.own_panel, name="own_panel"),
    path("don-vi/<code:unit_code>/", views.unit_panel, name="unit_panel"),
]
