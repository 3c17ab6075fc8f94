"""The confirmation asked before an irreversible step, enforced by the server.

A POST to such a step without `confirm=1` does not act: it answers with a page that says what
will happen and posts the same fields again with `confirm=1`. It needs no JavaScript (the CSP
forbids inline script), and a client that skips the page gains nothing, since the step's view
asks again. Here, in the lowest app, so that every app's views may use it.
"""

from django.http import HttpResponse
from django.shortcuts import render

HIDDEN = {"csrfmiddlewaretoken", "confirm"}


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirmation_page(request, *, title: str, consequences: list[str], button: str,
                      cancel_url: str) -> HttpResponse:
    """The page that asks; its form repeats every posted field, so what is confirmed is what
    was typed."""
    fields = [(name, value) for name, values in request.POST.lists() if name not in HIDDEN
              for value in values]
    return render(request, "confirm.html", {
        "title": title, "consequences": consequences, "button": button, "cancel_url": cancel_url,
        "action": request.get_full_path(), "fields": fields,
    })
