from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    path("", views.list_index, name="list_index"),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("<int:pk>/works/<int:entry_pk>/object/", views.objection_create, name="objection_create"),
    path("objections/mine/", views.my_objections, name="my_objections"),
    path("statements/<int:pk>/", views.statement_give, name="statement"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/confirm/", views.confirm_final, name="confirm_final"),
    path("manage/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("manage/objections/", views.objection_queue, name="objection_queue"),
    path("manage/objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path(
        "manage/objections/<int:pk>/evidence/<int:file_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
]
