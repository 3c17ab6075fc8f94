from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("khen-thuong/", views.dossier_list, name="dossiers"),
    path("khen-thuong/kinh-phi/", views.budget, name="budget"),
    path("khen-thuong/tong-hop/", views.summary_page, name="summary"),
    path("khen-thuong/tong-hop.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("khen-thuong/tong-hop.pdf", views.summary_pdf, name="summary_pdf"),
    path("khen-thuong/ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("khen-thuong/ho-so/<int:pk>/to-trinh.pdf", views.memo_pdf, name="memo_pdf"),
    path("xac-minh-van-ban/", views.verify, name="verify"),
    path("khen-thuong/ho-so/<int:pk>/quyet-dinh.pdf", views.decision_pdf, name="decision_pdf"),
    path("khen-thuong/ho-so/<int:pk>/danh-sach.xlsx", views.award_list_xlsx, name="award_list_xlsx"),
    path("khen-thuong/ho-so/<int:pk>/de-nghi-phong/", views.nominate, name="nominate"),
    path("khen-thuong/ho-so/<int:pk>/de-nghi-phong/<int:nomination_pk>/thu-tu/", views.nomination_move,
         name="nomination_move"),
    path("khen-thuong/ho-so/<int:pk>/bo-don-vi/", views.candidate_drop, name="candidate_drop"),
    path("khen-thuong/ho-so/<int:pk>/dua-lai-don-vi/", views.candidate_restore, name="candidate_restore"),
    path("khen-thuong/ho-so/<int:pk>/giai/<int:line_pk>/ca-nhan/", views.individual_add, name="individual_add"),
    path("khen-thuong/ho-so/<int:pk>/ca-nhan/<int:individual_pk>/sua/", views.individual_update,
         name="individual_update"),
    path("khen-thuong/ho-so/<int:pk>/ca-nhan/<int:individual_pk>/bo/", views.individual_remove,
         name="individual_remove"),
    path("khen-thuong/ho-so/<int:pk>/chi-tra/", views.payments_record, name="payments_record"),
    path("khen-thuong/ho-so/<int:pk>/chi-tra/huy/", views.payment_cancel, name="payment_cancel"),
    path("khen-thuong/ho-so/<int:pk>/<slug:action>/", views.transition, name="transition"),
]
