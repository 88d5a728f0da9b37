from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [
    path("<slug:slug>/", views.edition_settings, name="settings"),
    path("windows/<int:pk>/", views.window_edit, name="window_edit"),
]
