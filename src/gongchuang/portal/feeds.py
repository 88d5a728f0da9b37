from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from gongchuang.common.site import absolute_url

from .selectors import notices_public


class NoticesFeed(Feed):
    """RSS 2.0 feed of the city committee's published notices.

    Every address in it is absolute on ``SITE_URL`` (Django's default would take the
    request's host).
    """

    title = _("Notices · Beijing Youth AI Application Practice Activity")
    description = _("Notices and news of the city committee.")
    url_name = "portal:notice_rss"

    def link(self):
        return absolute_url(reverse("portal:notice_list"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

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
    url_name = "portal:notice_atom"
    subtitle = NoticesFeed.description
