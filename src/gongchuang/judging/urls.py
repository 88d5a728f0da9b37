from django.urls import path

from . import views

app_name = "judging"
urlpatterns = [
    path("", views.home, name="home"),
    path("experts/", views.experts, name="experts"),
    path("juries/<int:pk>/", views.jury_detail, name="jury"),
    path("juries/<int:pk>/members/", views.jury_members, name="jury_members"),
    path("juries/<int:pk>/settings/", views.jury_settings, name="jury_settings"),
    path("juries/<int:pk>/solve/", views.jury_solve, name="jury_solve"),
    path("juries/<int:pk>/publish/", views.jury_publish, name="jury_publish"),
    path("juries/<int:pk>/remind/", views.jury_remind, name="jury_remind"),
    path("juries/<int:pk>/add/", views.jury_add, name="jury_add"),
    path(
        "juries/<int:pk>/assignments/<int:assignment_pk>/<str:action>/",
        views.assignment_action,
        name="assignment_action",
    ),
    path("juries/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("juries/<int:pk>/works/<int:work_pk>/", views.work_reviews, name="work_reviews"),
    path("juries/<int:pk>/ranking/<int:work_pk>/extra/", views.request_extra, name="request_extra"),
    path("juries/<int:pk>/finalists/", views.finalists, name="finalists"),
    path("pledge/", views.pledge, name="pledge"),
    path("queue/", views.queue, name="queue"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("works/<int:work_pk>/", views.review, name="review"),
    path("works/<int:work_pk>/files/<int:file_pk>/", views.work_file, name="work_file"),
]
