from django.urls import path

from .views import exchange, finalist, judge, live, manage, public

app_name = "finals"
urlpatterns = [
    # judges (phones); the service worker's scope is /final/judge/
    path("judge/", judge.judge_home, name="judge_home"),
    path("judge/sw.js", judge.service_worker, name="service_worker"),
    path("judge/sync/", judge.judge_sync, name="judge_sync"),
    path("judge/session/<int:pk>/", judge.judge_session, name="judge_session"),
    path("judge/submission/<int:pk>/file/", judge.submission_file, name="judge_submission_file"),
    # finalists
    path("my/", finalist.my_final, name="my_final"),
    path("my/<int:work_pk>/attendance/", finalist.attendance, name="attendance"),
    path("my/<int:work_pk>/checkin.svg", finalist.checkin_qr, name="checkin_qr"),
    path("my/<int:work_pk>/task/<int:pk>/", finalist.task_detail, name="task_detail"),
    path(
        "my/<int:work_pk>/task/<int:pk>/attachment/",
        finalist.task_attachment,
        name="task_attachment",
    ),
    path("my/<int:work_pk>/guidance/", exchange.guidance_book, name="guidance_book"),
    # teachers: the teaching-case exchange
    path("exchange/", exchange.exchange, name="exchange"),
    path("exchange/<int:pk>/signup/", exchange.exchange_signup, name="exchange_signup"),
    path("exchange/<int:pk>/cancel/", exchange.exchange_cancel, name="exchange_cancel"),
    # experts: guidance slots and notes
    path("guidance/", exchange.expert_guidance, name="expert_guidance"),
    path("guidance/booking/<int:pk>/notes/", exchange.guidance_notes, name="guidance_notes"),
    path("certificate/<str:code>.pdf", finalist.certificate_pdf, name="certificate_pdf"),
    # committee
    path("manage/", manage.manage_home, name="manage_home"),
    path("manage/session/new/", manage.session_create, name="session_create"),
    path("manage/session/<int:pk>/", manage.manage_session, name="manage_session"),
    path("manage/session/<int:pk>/signin/", manage.signin_sheet, name="signin_sheet"),
    path("manage/session/<int:pk>/exchange/", exchange.manage_exchange, name="manage_exchange"),
    path("manage/session/<int:pk>/guidance/", exchange.manage_guidance, name="manage_guidance"),
    path("manage/schedule/", manage.schedule, name="schedule"),
    path("manage/checkin/", manage.checkin, name="checkin"),
    # the final day: live board of missing score sheets, presenter, projector links
    path("manage/board/", live.board, name="board"),
    path("manage/board/live/", live.board_live, name="board_live"),
    path("manage/session/<int:pk>/remind/<int:judge_pk>/", live.judge_remind, name="judge_remind"),
    path("manage/session/<int:pk>/current/", live.session_current, name="session_current"),
    path("manage/screen-link/", live.screen_link, name="screen_link"),
    path("manage/results/", manage.results_review, name="results_review"),
    path("certificates/", manage.certificates, name="certificates"),
    path("certificates/batch/<int:pk>/", manage.batch_progress, name="batch_progress"),
    path("certificates/batch/<int:pk>/zip/", manage.batch_download, name="batch_download"),
    # the projector (no login: the per-event secret link)
    path("screen/<str:token>/", live.screen_index, name="screen_index"),
    path("screen/<str:token>/session/<int:pk>/", live.screen, name="screen"),
    path("screen/<str:token>/session/<int:pk>/live/", live.screen_live, name="screen_live"),
    # public
    path("results/", public.results, name="results"),
    path("verify/", public.verify_form, name="verify_form"),
    path("verify/<str:code>/", public.verify, name="verify"),
]
