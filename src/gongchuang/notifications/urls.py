from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("templates/<str:kind>/reset/", views.template_reset_view, name="template_reset"),
]
