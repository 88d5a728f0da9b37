from django.contrib import admin

from .models import ExpertProfile, FinalistList, Jury


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "unit", "max_load"]
    search_fields = ["user__real_name", "organisation", "expertise"]


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "edition", "k", "published_at"]


@admin.register(FinalistList)
class FinalistListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "edition", "approved_at"]
