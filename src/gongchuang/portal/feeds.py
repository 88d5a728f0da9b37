from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import notices_public


class NoticesFeed(Feed):
    """RSS 2.0 feed of the city committee's published notices."""

    title = _("Notices · Beijing Youth AI Application Practice Activity")
    link = reverse_lazy("portal:notice_list")
    description = _("Notices and news of the city committee.")

    def items(self):
        return notices_public(city_only=True)[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class NoticesAtomFeed(NoticesFeed):
    feed_type = Atom1Feed
    subtitle = NoticesFeed.description
