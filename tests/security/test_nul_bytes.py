"""A NUL byte anywhere a client can put text answers 404, 400 or a form error, never 500.

PostgreSQL refuses NUL in text (psycopg raises DataError), SQLite stores it: a view that lets
one reach a query passes on SQLite and answers 500 on PostgreSQL. So this walks the whole
URL configuration (every pattern, a NUL in each string parameter), every form the pages
render (a NUL in each text field in turn), and every POST view with every field name those
forms use set to a NUL, in case a view reads request.POST without its form.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from awards.models import Exclusion, Individual
from campaign.models import Report
from scoring.models import Snapshot
from tests.security.test_permission_matrix import build_world

NUL = "a\x00b"
PLACEHOLDER = "zqzplaceholderzqz"
TEXT_INPUTS = {"text", "hidden", "search", "email", "url", "tel", "password", "number", ""}


@pytest.fixture
def world(cast, make_report):
    """The permission matrix's world, and a draft report of the next month to return."""
    built = build_world(cast)
    make_report(cast.periods[1], cast.office_a, status="draft")
    return built


# Values for the parameters that are not strings (and the one string, `action`, that names
# a workflow step), so that each URL reaches its view with real objects.
def _kwargs(world) -> dict:
    return {
        "number": 1, "pk": world["dossier"].pk, "nomination_pk": world["nomination"].pk,
        "line_pk": world["line"].pk, "individual_pk": world["individual"].pk,
        "unit_code": "AAA", "action": "submit",
    }


def _patterns(patterns=None, prefix="", namespace=None):
    """(route regex source, name, pattern) of every URL pattern, admin included."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def _string_parameters(pattern: URLPattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", {})
    return [name for name, conv in converters.items() if conv.regex != "[0-9]+"]


def _url_with_nul(world, name: str, pattern: URLPattern, parameter: str) -> str | None:
    """The pattern's URL with the parameter's value a NUL byte (percent-encoded), built from a
    placeholder because a converter that refuses NUL cannot reverse one."""
    kwargs = {k: v for k, v in _kwargs(world).items() if k in pattern.pattern.converters}
    kwargs[parameter] = PLACEHOLDER
    try:
        url = reverse(name, kwargs=kwargs)
    except Exception:  # admin patterns name their parameters otherwise: skipped below
        return None
    return url.replace(PLACEHOLDER, "%00")


def _check(client, method, url, data=None) -> int:
    # A savepoint per request: a DataError must not poison the next requests' transaction.
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
    except Exception as exc:  # the test client re-raises what would have been a 500
        return f"{type(exc).__name__}: {exc}"
    return response.status_code


def test_a_nul_in_any_string_url_parameter_answers_404_not_500(client, world):
    client.force_login(world["cast"].admin)
    walked, failures = 0, []
    for _, name, pattern in _patterns():
        if not name:
            continue
        for parameter in _string_parameters(pattern):
            url = _url_with_nul(world, name, pattern, parameter)
            if url is None:
                continue
            for method in ("get", "post"):
                walked += 1
                status = _check(client, method, url)
                # The admin redirects to its list, saying the object does not exist, or
                # refuses first what a read-only admin never allows (403).
                allowed = (302, 403, 404, 405) if name.startswith("admin:") else (404, 405)
                if status not in allowed:
                    failures.append((method, url, status))
    assert walked >= 8, "the walk reached too few string parameters to mean anything"
    assert not failures, failures


def test_a_nul_in_an_admin_object_id_or_search_is_not_a_500(client, world):
    client.force_login(world["cast"].admin)
    failures = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        for url in (f"/admin/{info[0]}/{info[1]}/%00/change/",
                    reverse(f"admin:{info[0]}_{info[1]}_changelist") + "?q=a%00b"):
            status = _check(client, "get", url)
            if status not in (200, 302, 400, 404):
                failures.append((url, status))
    assert not failures, failures


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, kind, value) in order."""

    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._current)
        elif self._current is None or "name" not in attrs:
            if tag == "option" and self._select is not None and self._select[2] is None:
                self._select[2] = attrs.get("value", "")
            return
        elif tag == "input":
            kind = (attrs.get("type") or "").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._current["fields"].append([attrs["name"], kind, attrs.get("value") or ""])
        elif tag == "textarea":
            self._current["fields"].append([attrs["name"], "textarea", ""])
        elif tag == "select":
            self._select = [attrs["name"], "select", None]
            self._current["fields"].append(self._select)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._current["fields"].append([attrs["name"], "button", attrs.get("value") or ""])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def _pages(world) -> list[str]:
    """Every page without parameters, and those with the world's objects."""
    urls = []
    for _, name, pattern in _patterns():
        if not name or name.startswith("admin:") or name in ("logout",):
            continue
        kwargs = {k: v for k, v in _kwargs(world).items() if k in pattern.pattern.converters}
        if "pk" in kwargs and name.startswith("excel:"):
            kwargs["pk"] = world["batch"].pk
        if "pk" in kwargs and name == "scoring:snapshot":
            kwargs["pk"] = world["snapshot"].pk
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except Exception:
            continue
    return urls


def test_a_nul_in_each_text_field_of_each_form_is_a_form_error_not_a_500(client, world):
    """Every POST form the pages render to the administrator (who sees every button the
    states allow), posted once per text field with that field a NUL; then every POST view
    with all those field names a NUL at once."""
    client.force_login(world["cast"].admin)
    forms = {}
    for url in _pages(world):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = form["action"] or url
            key = (action, tuple(f[0] for f in form["fields"]))
            forms.setdefault(key, form | {"action": action})
    failures, posted, names = [], 0, set()
    for form in forms.values():
        base = {name: value or "" for name, _, value in form["fields"]}
        for name, kind, _ in form["fields"]:
            if name == "csrfmiddlewaretoken" or kind not in TEXT_INPUTS | {"textarea", "select"}:
                continue
            names.add(name)
            posted += 1
            status = _check(client, "post", form["action"], base | {name: NUL})
            if not isinstance(status, int) or status >= 500:
                failures.append((form["action"], name, status))
    assert posted >= 20, f"only {posted} text fields found: the crawl is broken"
    # Views that read request.POST directly take the same names; a NUL in all of them at once.
    names.discard("csrfmiddlewaretoken")
    everything = dict.fromkeys(names, NUL)
    for _, name, pattern in _patterns():
        if not name or name.startswith("admin:"):
            continue
        kwargs = {k: v for k, v in _kwargs(world).items() if k in pattern.pattern.converters}
        if "pk" in kwargs and name.startswith("excel:"):
            kwargs["pk"] = world["batch"].pk
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        status = _check(client, "post", url, everything)
        if not isinstance(status, int) or status >= 500:
            failures.append((url, "every field", status))
    assert not failures, failures


def _nothing_changed(world) -> bool:
    cast = world["cast"]
    return (Individual.objects.filter(pk=world["individual"].pk).exists()
            and Snapshot.objects.filter(pk=world["snapshot"].pk, superseded_at__isnull=True).exists()
            and Report.objects.get(period=cast.period1, unit=cast.office_a).is_submitted
            and not Exclusion.objects.exists())


@pytest.mark.parametrize("name, kwargs, data", [
    ("scoring:reopen", lambda w: {"number": 1}, {"reason": NUL}),
    ("awards:individual_remove",
     lambda w: {"pk": w["dossier"].pk, "individual_pk": w["individual"].pk}, {"reason": NUL}),
    ("campaign:report_return", lambda w: {"number": 1, "unit_code": "AAA"}, {"reason": NUL}),
    ("awards:candidate_drop", lambda w: {"pk": w["dossier"].pk}, {"unit": NUL, "reason": "x"}),
    ("awards:candidate_drop", lambda w: {"pk": w["dossier"].pk}, {"unit": "AAA", "reason": NUL}),
])
def test_the_reported_nul_posts_are_refused_with_a_vietnamese_message_and_change_nothing(
        client, world, name, kwargs, data):
    client.force_login(world["cast"].compiler)
    response = client.post(reverse(name, kwargs=kwargs(world)), data, follow=True)
    assert response.status_code == 200
    said = " ".join(str(m) for m in response.context["messages"])
    assert "ký tự không hợp lệ" in said, said
    assert _nothing_changed(world)


@pytest.mark.parametrize("url", ["/don-vi/%00/", "/ky/3/don-vi/%00/", "/chi-tieu/%00/"])
def test_the_reported_nul_urls_answer_404(client, world, url):
    client.force_login(world["cast"].compiler)
    assert client.get(url).status_code == 404
    assert client.post("/ky/3/don-vi/%00/tra-lai/").status_code == 404
