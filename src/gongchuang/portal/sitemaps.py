from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongchuang.common.site import site_domain, site_scheme

from .selectors import notices_public, public_works_for_sitemap


class SiteSitemap(Sitemap):
    """Addresses on ``SITE_URL`` (gongchuang.common.site), never on the request's host."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()


class StaticSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "portal:home",
            "portal:notice_list",
            "portal:guide",
            "portal:showcase",
            "portal:teaching_cases",
            "portal:results",
        ]

    def location(self, item):
        return reverse(item)


class NoticeSitemap(SiteSitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return notices_public().select_related(None).only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class WorkSitemap(SiteSitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_works_for_sitemap()

    def location(self, item):
        return reverse("portal:work_detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"static": StaticSitemap, "notices": NoticeSitemap, "works": WorkSitemap}
