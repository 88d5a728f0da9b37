"""Tells editions that expert reviews hold a category's rubric (scores are kept by
dimension id), so editions.usage refuses to rewrite it."""

from gongchuang.editions import usage

from .models import Review

usage.register_holder(
    "scored", lambda category: Review.objects.filter(assignment__work__category=category).exists()
)
