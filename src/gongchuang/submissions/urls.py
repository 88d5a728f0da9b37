from django.urls import path

from .views import direct, files, team, works

app_name = "submissions"
urlpatterns = [
    path("", works.my_works, name="my_works"),
    path("new/", works.work_create, name="work_create"),
    path("school/", works.school_works, name="school_works"),
    path("<int:pk>/", works.work_detail, name="work_detail"),
    path("<int:pk>/edit/", works.work_edit, name="work_edit"),
    path("<int:pk>/submit/", works.work_submit, name="work_submit"),
    path("<int:pk>/receipt/", works.work_receipt, name="work_receipt"),
    path("<int:pk>/withdraw/", works.work_withdraw, name="work_withdraw"),
    path("<int:pk>/invite/", team.invite, name="invite"),
    path("<int:pk>/members/<int:member_pk>/remove/", team.member_remove, name="member_remove"),
    path("invitations/<int:pk>/<str:answer>/", team.invitation_respond, name="invitation_respond"),
    path("<int:pk>/files/", files.file_upload, name="file_upload"),
    path("<int:pk>/files/presign/", direct.presign, name="direct_presign"),
    path("<int:pk>/files/complete/", direct.complete, name="direct_complete"),
    path("<int:pk>/files/<int:file_pk>/delete/", files.file_delete, name="file_delete"),
    path("files/<int:file_pk>/download/", files.file_download, name="file_download"),
    path("files/<int:file_pk>/preview/", files.file_preview, name="file_preview"),
    path("<int:pk>/uploads/", files.upload_create, name="upload_create"),
    path("uploads/<str:token>/", files.upload_session, name="upload_session"),
    path("uploads/<str:token>/finalize/", files.upload_finalize, name="upload_finalize"),
]
