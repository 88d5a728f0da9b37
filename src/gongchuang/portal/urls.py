from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from . import feeds
from .sitemaps import SITEMAPS
from .views import manage, public, questions

app_name = "portal"
urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("robots.txt", public.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cache_page(600)(sitemap_views.sitemap),  # no per-visitor content: whole-page cache
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("notices/", public.notice_list, name="notice_list"),
    path("notices/rss/", feeds.NoticesFeed(), name="notice_rss"),
    path("notices/atom/", feeds.NoticesAtomFeed(), name="notice_atom"),
    path("notices/<int:pk>/", public.notice_detail, name="notice_detail"),
    path("notices/files/<int:pk>/", public.notice_attachment, name="notice_attachment"),
    path("units/<str:code>/", public.unit_page, name="unit"),
    path("guide/", public.guide, name="guide"),
    path("identity/<int:pk>/", public.edition_image, name="edition_image"),
    path("guide/files/<int:pk>/", public.guide_document, name="guide_document"),
    path("showcase/", public.showcase, name="showcase"),
    path("showcase/<int:pk>/", public.work_detail, name="work_detail"),
    path("showcase/files/<int:pk>/", public.work_file, name="work_file"),
    path("teaching-cases/", public.teaching_cases, name="teaching_cases"),
    path("teaching-cases/files/<int:pk>/", public.case_download, name="case_download"),
    path("showcase/<int:pk>/questions/", questions.case_question_ask, name="case_question_ask"),
    path(
        "teaching-cases/questions/<int:pk>/answer/",
        questions.case_question_answer,
        name="case_question_answer",
    ),
    path("results/", public.results, name="results"),
    # Committee and unit organizers
    path("manage/notices/", manage.notice_manage_list, name="notice_manage"),
    path("manage/notices/new/", manage.notice_edit, name="notice_create"),
    path("manage/notices/<int:pk>/", manage.notice_edit, name="notice_edit"),
    path("manage/notices/<int:pk>/<str:action>/", manage.notice_action, name="notice_action"),
    path("manage/attachments/<int:pk>/remove/", manage.attachment_remove, name="attachment_remove"),
    path("manage/guide/", manage.guide_manage, name="guide_manage"),
    path(
        "manage/guide/<int:pk>/remove/", manage.guide_document_remove, name="guide_document_remove"
    ),
    path("manage/case-questions/", questions.case_questions_manage, name="case_questions_manage"),
    path(
        "manage/case-questions/<int:pk>/",
        questions.case_question_moderate,
        name="case_question_moderate",
    ),
    path("manage/showcase/", manage.showcase_manage, name="showcase_manage"),
    path("manage/showcase/<int:pk>/", manage.showcase_toggle, name="showcase_toggle"),
    path("manage/showcase/import/", manage.showcase_import, name="showcase_import"),
    path(
        "manage/showcase/import/template.xlsx",
        manage.showcase_import_template,
        name="showcase_import_template",
    ),
]
