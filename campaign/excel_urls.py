from django.urls import path

from . import excel_views as views

app_name = "excel"

urlpatterns = [
    path("", views.index, name="index"),
    path("mau/chi-tieu.xlsx", views.template_targets, name="template_targets"),
    path("ky/<int:number>/mau/ket-qua.xlsx", views.template_results, name="template_results"),
    path("nhap/chi-tieu/", views.upload_targets, name="upload_targets"),
    path("ky/<int:number>/nhap/ket-qua/", views.upload_results, name="upload_results"),
    path("nhap/<int:pk>/", views.preview, name="preview"),
    path("nhap/<int:pk>/tep.xlsx", views.batch_file, name="batch_file"),
    path("nhap/<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("nhap/<int:pk>/huy/", views.cancel, name="cancel"),
    path("xuat/chi-tieu.xlsx", views.export_targets, name="export_targets"),
    path("ky/<int:number>/xuat/bao-cao.xlsx", views.export_reports, name="export_reports"),
]
