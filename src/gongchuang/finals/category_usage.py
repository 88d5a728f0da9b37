"""Tells editions that the final's score sheets hold a category's rubric (editions.usage)."""

from gongchuang.editions import usage

from .models import Score

usage.register_holder(
    "scored", lambda category: Score.objects.filter(work__category=category).exists()
)
