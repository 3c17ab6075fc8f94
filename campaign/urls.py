from django.urls import path

import units.converters  # noqa: F401  (the "code" converter)

from . import views

app_name = "campaign"

urlpatterns = [
    path("ky/<int:number>/don-vi/<code:unit_code>/", views.report_edit, name="report_edit"),
    path("ky/<int:number>/don-vi/<code:unit_code>/tra-lai/", views.report_return, name="report_return"),
    path("ky/<int:number>/don-vi/<code:unit_code>/xac-nhan-canh-bao/", views.warning_acknowledge,
         name="warning_acknowledge"),
    path("bao-cao/", views.period_reports, name="period_reports_current"),
    path("ky/<int:number>/bao-cao/", views.period_reports, name="period_reports"),
    path("chi-tieu/", views.targets, name="targets"),
    path("chi-tieu/<code:unit_code>/", views.target_edit, name="target_edit"),
]
