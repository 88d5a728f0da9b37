from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [
    path("<slug:slug>/", views.edition_settings, name="settings"),
    path("<slug:slug>/details/", views.edition_details, name="details"),
    path("<slug:slug>/rules/", views.edition_rules, name="rules"),
    path(
        "<slug:slug>/school-confirmation/",
        views.edition_school_confirmation,
        name="school_confirmation",
    ),
    path("<slug:slug>/identity/", views.edition_identity, name="identity"),
    path("images/<int:pk>/", views.edition_image, name="image"),
    path("images/<int:pk>/remove/", views.edition_image_delete, name="image_remove"),
    path("<slug:slug>/make-current/", views.edition_make_current, name="make_current"),
    path("<slug:slug>/categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("categories/<int:pk>/rubric/", views.rubric_edit, name="rubric_edit"),
    path("categories/<int:pk>/preview/", views.category_preview, name="category_preview"),
    path("windows/<int:pk>/", views.window_edit, name="window_edit"),
]
