from django.contrib import admin

from .models import PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
