"""``{% absolute_url path %}``: a site path made absolute on ``SITE_URL``, not the request host."""

from django import template

from gongchuang.common.site import absolute_url as _absolute_url

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    return _absolute_url(path)
