from django.urls import path

from . import survey_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("table/<slug:key>.xlsx", views.table_xlsx, name="table_xlsx"),
    path("export/works/", views.export_works, name="export_works"),
    path("export/results/", views.export_results, name="export_results"),
    path("export/<int:pk>/", views.export_detail, name="export_detail"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
    path("editions/", views.editions, name="editions"),
    path("editions/<slug:slug>/clone/", views.edition_clone_view, name="edition_clone"),
    path("editions/<slug:slug>/archive/", views.edition_archive_view, name="edition_archive"),
    path("summary/", views.summary, name="summary"),
    path("summary/<int:pk>/download/", views.summary_download, name="summary_download"),
    path("editions/<slug:slug>/guide-draft.pdf", survey_views.guide_draft, name="guide_draft"),
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/<int:pk>/", survey_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/<str:action>/", survey_views.survey_toggle, name="survey_toggle"),
    path("surveys/question/<int:pk>/remove/", survey_views.question_remove, name="question_remove"),
    path("survey/<int:pk>/", survey_views.survey_answer, name="survey_answer"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
