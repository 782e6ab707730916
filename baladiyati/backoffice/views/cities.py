"""The municipality switcher: a member of several municipalities' staff works in one at a
time. GET /backoffice/cities lists their memberships; POST switches the session to one of
them (access.CITY_SESSION_KEY, read by staff_view). A municipality where they are not an
active member is a 404, and the session is left as it was.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import CITY_SESSION_KEY, EVERYONE, READERS, Desk, memberships_of, staff_view


@require_http_methods(["GET", "POST"])
@staff_view(EVERYONE)
def cities(request: HttpRequest, desk: Desk) -> HttpResponse:
    memberships = list(memberships_of(request.user))
    if request.method == "POST":
        raw = request.POST.get("municipality", "")
        chosen = next((m for m in memberships if str(m.municipality_id) == raw), None)
        if chosen is None:
            raise Http404
        request.session[CITY_SESSION_KEY] = chosen.municipality_id
        if chosen.role in READERS:
            return redirect("backoffice:inbox")
        return redirect("backoffice:cities")
    return render(
        request,
        "backoffice/cities.html",
        {"desk": desk, "memberships": memberships, "nav": "cities"},
    )
