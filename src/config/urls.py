from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from gongchuang.accounts.views.language import set_language
from gongchuang.api.api import api

urlpatterns = [
    path("", include("gongchuang.portal.urls")),
    path("accounts/", include("gongchuang.accounts.urls")),
    path("editions/", include("gongchuang.editions.urls")),
    path("works/", include("gongchuang.submissions.urls")),
    path("screening/", include("gongchuang.screening.urls")),
    path("judging/", include("gongchuang.judging.urls")),
    path("final/", include("gongchuang.finals.urls")),
    path("publicity/", include("gongchuang.publicity.urls")),
    path("inbox/", include("gongchuang.notifications.urls")),
    path("reports/", include("gongchuang.reports.urls")),
    path("api/v1/", api.urls),
    path("audit/", include("gongchuang.common.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "gongchuang.common.errorviews.bad_request"
handler403 = "gongchuang.common.errorviews.permission_denied"
handler404 = "gongchuang.common.errorviews.page_not_found"
handler500 = "gongchuang.common.errorviews.server_error"

admin.site.site_header = "共创平台 · 管理后台"
admin.site.site_title = "共创平台"

if settings.BENCH_ENDPOINTS:  # only for ./scripts/bench: the bare-Django ceiling
    from .bench_views import hello

    urlpatterns.append(path("bench/hello", hello))
