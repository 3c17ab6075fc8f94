"""The campaign a request serves is named by its URL: `/phong-trao/<CODE>/…`.

A prefixed URL mounts the whole site for one campaign, the way a SCRIPT_NAME mounts a site
under a path. `CampaignPrefixMiddleware` recognises the prefix, loads the campaign (an unknown
or malformed code answers 404), sets `request.campaign`, takes the prefix off
`request.path_info` and adds it to the script prefix while the request is served. Every
`reverse()` and `{% url %}` made while serving that request therefore stays inside the same
campaign, and no template names the campaign. `request.path` keeps the full address, so a login
redirect's `?next=` comes back to the same campaign.

A view that shows or changes one campaign's data is marked `@campaign_view`. Reached by a
short URL (no prefix, as before campaigns were named), it redirects to the same page under the
prefix of the campaign being served (`current_campaign()`): 302 for a GET, 307 otherwise so a
form posted from a page opened before keeps its method and body; the query string is kept.
A page of one object (a dossier, a snapshot, an import) names its campaign through `owner`:
reached short it goes to its own campaign, reached under another campaign's prefix it is 404.

Outside a request (e-mails, Celery tasks), `campaign_urls(campaign)` sets the prefix for the
links built inside it.
"""

import re
from contextlib import contextmanager
from functools import wraps
from urllib.parse import quote

from django.http import Http404, HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix

from .models import Campaign
from .selectors import current_campaign

PREFIX = "phong-trao/"
# The codes `campaign.definition` accepts: capitals, digits, - and _. Anything else in the
# prefix (a NUL, a slash encoded, lower case, accents) is refused before the database is asked.
CODE_REGEX = r"[A-Z0-9][A-Z0-9_-]{0,29}"
_CODE = re.compile(CODE_REGEX)
_PREFIXED = re.compile(rf"^/{PREFIX}(?P<code>[^/]*)/")
_CAMPAIGN_TAIL = re.compile(rf"{PREFIX}{CODE_REGEX}/$")


class CampaignCodeConverter:
    """`<campaign_code:code>` in a URL pattern: only a well-formed campaign code matches."""

    regex = CODE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        value = getattr(value, "code", value)
        if not _CODE.fullmatch(value):
            raise ValueError(f"not a campaign code: {value!r}")
        return value


def base_prefix() -> str:
    """The script prefix without any campaign: where the site itself is mounted."""
    return _CAMPAIGN_TAIL.sub("", get_script_prefix())


def campaign_path(campaign, path_info: str = "/") -> str:
    """The address of `path_info` (a path without any campaign) inside the campaign."""
    code = CampaignCodeConverter().to_url(campaign)
    return f"{base_prefix()}{PREFIX}{code}{path_info}"


@contextmanager
def campaign_urls(campaign):
    """Links reversed inside the block point into the campaign (for e-mails and tasks)."""
    previous = get_script_prefix()
    set_script_prefix(campaign_path(campaign))
    try:
        yield
    finally:
        set_script_prefix(previous)


@contextmanager
def short_urls():
    """Links reversed inside the block name no campaign (the short URLs)."""
    previous = get_script_prefix()
    set_script_prefix(base_prefix())
    try:
        yield
    finally:
        set_script_prefix(previous)


class CampaignPrefixMiddleware:
    """See the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = _PREFIXED.match(request.path_info)
        if match is None:
            request.campaign_in_url = False
            return self.get_response(request)
        code = match["code"]
        campaign = Campaign.objects.filter(code=code).first() if _CODE.fullmatch(code) else None
        if campaign is None:
            raise Http404("Không có phong trào thi đua mang mã này.")
        request.campaign = campaign
        request.campaign_in_url = True
        request.path_info = request.path_info[match.end() - 1:]
        previous = get_script_prefix()
        set_script_prefix(campaign_path(code))
        try:
            return self.get_response(request)
        finally:
            # The prefix is per thread: the next request, or a task run in this thread, must
            # not inherit this campaign.
            set_script_prefix(previous)


class _TemporaryRedirect(HttpResponseRedirect):
    status_code = 307


def _same_page_in(request, campaign):
    location = campaign_path(campaign, quote(request.path_info))
    query = request.META.get("QUERY_STRING", "")
    if query:
        location += "?" + query
    if request.method in ("GET", "HEAD"):
        return HttpResponseRedirect(location)
    return _TemporaryRedirect(location)


def served_campaign(request) -> Campaign | None:
    """The campaign named by the URL, otherwise the one the office is working on."""
    if getattr(request, "campaign_in_url", False):
        return request.campaign
    return current_campaign()


def campaign_view(view=None, *, owner=None):
    """Mark a view as showing one campaign's data (see the module's docstring).

    `owner(**kwargs)` returns the campaign of the object the URL names, or None when there is
    no such object (the view then answers 404 itself). Inside the view `request.campaign` is
    the campaign served; it is None only when no campaign exists at all."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            own = owner(**kwargs) if owner is not None else None
            if getattr(request, "campaign_in_url", False):
                if own is not None and own.pk != request.campaign.pk:
                    raise Http404("Trang này thuộc một phong trào thi đua khác.")
                return view(request, *args, **kwargs)
            target = own or served_campaign(request)
            if target is None:
                request.campaign = None
                return view(request, *args, **kwargs)
            return _same_page_in(request, target)

        wrapper.campaign_scoped = True
        return wrapper

    return decorate(view) if view is not None else decorate


def campaign_served(view):
    """For a page that serves the current campaign at its short URL without redirecting (the
    home page, where every login lands): `request.campaign` is set all the same."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.campaign = served_campaign(request)
        return view(request, *args, **kwargs)

    return wrapper
