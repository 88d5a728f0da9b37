"""URLs of the SMS-code pages (views_phone.py), included by accounts/urls.py."""

from django.urls import path

from . import views_phone

urlpatterns = [
    path("login/phone/", views_phone.phone_login, name="phone_login"),
    path("password/sms-reset/", views_phone.phone_reset, name="phone_reset"),
    path(
        "password/sms-reset/new/",
        views_phone.phone_reset_password,
        name="phone_reset_password",
    ),
    path("phone/verify/", views_phone.phone_verify, name="phone_verify"),
]
