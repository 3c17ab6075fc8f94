from django.urls import path

import units.converters  # noqa: F401  (the "code" converter)

from . import definition_views, views

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
    path("dinh-nghia/", definition_views.definition, name="definition"),
    path("dinh-nghia/tep.toml", definition_views.definition_file, name="definition_file"),
    path("dinh-nghia/sua/", definition_views.definition_edit, name="definition_edit"),
    path("dinh-nghia/sao-chep/", definition_views.definition_copy, name="definition_copy"),
    # Of no one campaign: the file names the campaign it creates or updates.
    path("nap-dinh-nghia/", definition_views.definition_upload, name="definition_upload"),
]
