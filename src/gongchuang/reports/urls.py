from django.urls import path

from . import views

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
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
