from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import dashboard, duplicates, my_data, phone, register, signin, staff, two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", signin.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/student/", register.register_student, name="register_student"),
    path("register/teacher/", register.register_teacher, name="register_teacher"),
    path("register/sent/", register.register_sent, name="register_sent"),
    path("register/code/", register.register_code, name="register_code"),
    path("activate/<uidb64>/<token>/", register.activate, name="activate"),
    path("schools/", include("gongchuang.accounts.urls_schools")),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("staff/import/", staff.staff_import_view, name="staff_import"),
    path(
        "staff/import/template.xlsx",
        staff.staff_import_template,
        name="staff_import_template",
    ),
    path("password/change/", signin.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("my-data/", my_data.my_data, name="my_data"),
    path("my-data/download/", my_data.my_data_download, name="my_data_download"),
    path("my-data/delete/", my_data.my_data_delete, name="my_data_delete"),
    path("students/lookup/", staff.student_lookup, name="student_lookup"),
    path("students/duplicates/", duplicates.duplicates, name="duplicates"),
    path(
        "students/duplicates/<int:pk>/merge/<int:into>/",
        duplicates.duplicate_merge,
        name="duplicate_merge",
    ),
    path(
        "students/duplicates/<int:pk>/void/",
        duplicates.duplicate_void,
        name="duplicate_void",
    ),
    path("2fa/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("2fa/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("2fa/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("login/phone/", phone.phone_login, name="phone_login"),
    path("password/sms-reset/", phone.phone_reset, name="phone_reset"),
    path("password/sms-reset/new/", phone.phone_reset_password, name="phone_reset_password"),
    path("phone/verify/", phone.phone_verify, name="phone_verify"),
    path("phone/guardian/", phone.guardian_sms, name="guardian_sms"),
]
