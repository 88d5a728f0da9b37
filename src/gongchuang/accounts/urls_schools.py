"""School list pages, included under ``accounts/schools/`` (names in the ``accounts`` namespace)."""

from django.urls import path

from .views import schools as views

urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("options/", views.school_options, name="school_options"),
    path("add/", views.school_add, name="school_add"),
    path("export.xlsx", views.school_export, name="school_export"),
    path("import/", views.school_import, name="school_import"),
    path("import/template.xlsx", views.school_import_template, name="school_import_template"),
    path("<int:pk>/", views.school_edit, name="school_edit"),
    path("<int:pk>/deactivate/", views.school_deactivate, name="school_deactivate"),
    path("<int:pk>/reactivate/", views.school_reactivate, name="school_reactivate"),
    path("<int:pk>/merge/", views.school_merge, name="school_merge"),
]
