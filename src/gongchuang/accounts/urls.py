from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_2fa, views_duplicates, views_privacy, views_register

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/student/", views_register.register_student, name="register_student"),
    path("register/teacher/", views_register.register_teacher, name="register_teacher"),
    path("register/sent/", views_register.register_sent, name="register_sent"),
    path("activate/<uidb64>/<token>/", views_register.activate, name="activate"),
    path("schools/", include("gongchuang.accounts.urls_schools")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("staff/import/", views.staff_import_view, name="staff_import"),
    path(
        "staff/import/template.xlsx",
        views.staff_import_template,
        name="staff_import_template",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("my-data/", views_privacy.my_data, name="my_data"),
    path("my-data/download/", views_privacy.my_data_download, name="my_data_download"),
    path("my-data/delete/", views_privacy.my_data_delete, name="my_data_delete"),
    path("students/lookup/", views_privacy.student_lookup, name="student_lookup"),
    path("students/duplicates/", views_duplicates.duplicates, name="duplicates"),
    path(
        "students/duplicates/<int:pk>/merge/<int:into>/",
        views_duplicates.duplicate_merge,
        name="duplicate_merge",
    ),
    path(
        "students/duplicates/<int:pk>/void/",
        views_duplicates.duplicate_void,
        name="duplicate_void",
    ),
    path("2fa/", views_2fa.two_factor_setup, name="two_factor_setup"),
    path("2fa/disable/", views_2fa.two_factor_disable, name="two_factor_disable"),
    path("2fa/verify/", views_2fa.two_factor_verify, name="two_factor_verify"),
]
