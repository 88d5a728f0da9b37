from django.urls import path

from .views import city, files, prechecks, school, unit

app_name = "screening"
urlpatterns = [
    path("school/", school.queue, name="school_queue"),
    path("school/works/<int:pk>/", school.work_view, name="school_work"),
    path("school/bulk/", school.bulk, name="school_bulk"),
    path("unit/", unit.queue, name="unit_queue"),
    path("unit/works/<int:pk>/", unit.work_review, name="unit_work"),
    path("unit/works/<int:pk>/unrecommend/", unit.unrecommend, name="unit_unrecommend"),
    path("unit/works/<int:pk>/precheck/", prechecks.rerun_unit, name="unit_precheck"),
    path("unit/bulk/", unit.bulk, name="unit_bulk"),
    path("unit/export.xlsx", unit.export, name="unit_export"),
    path("unit/import/", unit.import_sheet, name="unit_import"),
    path(
        "unit/import/template.xlsx",
        unit.import_template_download,
        name="unit_import_template",
    ),
    path("city/", city.queue, name="city_queue"),
    path("city/works/<int:pk>/", city.work_review, name="city_work"),
    path("city/works/<int:pk>/precheck/", prechecks.rerun_city, name="city_precheck"),
    path("city/bulk/", city.bulk, name="city_bulk"),
    path("city/progress/", city.progress, name="city_progress"),
    path("city/remind/", city.remind, name="city_remind"),
    path("city/export.xlsx", city.export, name="city_export"),
    path("city/import/", city.import_sheet, name="city_import"),
    path(
        "city/import/template.xlsx",
        city.import_template_download,
        name="city_import_template",
    ),
    path("files/<int:pk>/", files.work_file, name="work_file"),
]
