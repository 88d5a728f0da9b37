from django.urls import path

from .views import committee, discussion, expert, practice

app_name = "judging"
urlpatterns = [
    path("", committee.home, name="home"),
    path("experts/", committee.experts, name="experts"),
    path("experts/template.xlsx", committee.experts_template, name="experts_template"),
    path("juries/<int:pk>/", committee.jury_detail, name="jury"),
    path("juries/<int:pk>/members/", committee.jury_members, name="jury_members"),
    path("juries/<int:pk>/settings/", committee.jury_settings, name="jury_settings"),
    path("juries/<int:pk>/solve/", committee.jury_solve, name="jury_solve"),
    path("juries/<int:pk>/publish/", committee.jury_publish, name="jury_publish"),
    path("juries/<int:pk>/remind/", committee.jury_remind, name="jury_remind"),
    path("juries/<int:pk>/add/", committee.jury_add, name="jury_add"),
    path(
        "juries/<int:pk>/assignments/<int:assignment_pk>/<str:action>/",
        committee.assignment_action,
        name="assignment_action",
    ),
    path("juries/<int:pk>/ranking/", committee.ranking, name="ranking"),
    path("juries/<int:pk>/works/<int:work_pk>/", committee.work_reviews, name="work_reviews"),
    path(
        "juries/<int:pk>/ranking/<int:work_pk>/extra/",
        committee.request_extra,
        name="request_extra",
    ),
    path("juries/<int:pk>/finalists/", committee.finalists, name="finalists"),
    path(
        "juries/<int:pk>/discussion-settings/",
        discussion.jury_discussion_settings,
        name="jury_discussion_settings",
    ),
    path(
        "juries/<int:pk>/works/<int:work_pk>/discussion/",
        discussion.discussion,
        name="discussion",
    ),
    path(
        "juries/<int:pk>/works/<int:work_pk>/consensus/",
        discussion.consensus,
        name="consensus",
    ),
    path("juries/<int:pk>/lead/", discussion.lead, name="lead"),
    path("practice/", practice.manage, name="practice"),
    path("practice/<int:pk>/", practice.score, name="practice_score"),
    path("pledge/", expert.pledge, name="pledge"),
    path("queue/", expert.queue, name="queue"),
    path("conflicts/", expert.conflicts, name="conflicts"),
    path("works/<int:work_pk>/", expert.review, name="review"),
    path("works/<int:work_pk>/draft/", expert.review_draft, name="review_draft"),
    path("works/<int:work_pk>/files/<int:file_pk>/", expert.work_file, name="work_file"),
]
