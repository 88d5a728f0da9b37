from django.contrib import admin

from .models import Category, Edition, PhaseWindow, RubricDimension


class PhaseWindowInline(admin.TabularInline):
    model = PhaseWindow
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "slug", "is_current", "is_demo", "archived_at"]
    inlines = [PhaseWindowInline]


class RubricInline(admin.TabularInline):
    model = RubricDimension
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "code", "track", "max_authors", "max_advisors", "unit_quota"]
    list_filter = ["edition", "track"]
    inlines = [RubricInline]
