from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("xep-hang/", views.ranking, name="ranking_current"),
    path("xep-hang/ky/<int:number>/", views.ranking, name="ranking"),
    path("xep-hang/ky/<int:number>/tong-hop/", views.rollup, name="rollup"),
    path("xep-hang/ky/<int:number>/lan-tong-hop/", views.rollup_runs, name="rollup_runs"),
    path("xep-hang/ky/<int:number>/mo-lai/", views.reopen, name="reopen"),
    path("xep-hang/ket-qua/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("the-le/", views.rules, name="rules"),
]
