"""The walk-in board of a resource (its owner, staff): the queue with estimated waits, who is
being served, call next / serve one / finish / add someone by name, the QR code of the public
join page, and a full-screen view for a shop's TV that refreshes itself (htmx polling)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tessera.accounts.access import is_staff
from tessera.core.clock import utcnow
from tessera.core.errors import DomainError, NotFound
from tessera.scheduling.models import Resource
from tessera.walkins.models import WalkIn, WalkInStatus
from tessera.walkins.selectors import walkin_queue_waits, walkin_wait_estimate
from tessera.walkins.services import walkin_finish, walkin_join, walkin_serve

from ...feedback import report
from ...qr import qr_svg
from .access import provider_required

TV_REFRESH_SECONDS = 15


def _managed_resource(request: HttpRequest, resource_id: int) -> Resource:
    """A resource the signed-in person owns (staff: any); else `resource_not_found`."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not (resource.owner_id == request.user.pk or is_staff(request.user)):
        raise NotFound("No such resource.", code="resource_not_found")
    return resource


def board_context(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    now = utcnow()
    join_url = request.build_absolute_uri(reverse("web:walkin-join", args=[resource.pk]))
    serving = (
        WalkIn.objects.filter(
            resource=resource, status=WalkInStatus.SERVED, finished_at__isnull=True
        )
        .select_related("user")
        .order_by("served_at")
    )
    return {
        "resource": resource,
        "queue": walkin_queue_waits(resource=resource, actor=request.user, now=now),
        "serving": list(serving),
        "newcomer": walkin_wait_estimate(resource=resource, now=now),
        "join_url": join_url,
        "qr": qr_svg(join_url, title=_("QR code: join the queue of %s") % resource.name),
        "refresh_seconds": TV_REFRESH_SECONDS,
    }


def _page(request: HttpRequest, resource_id: int, template: str, status: int = 200) -> HttpResponse:
    try:
        resource = _managed_resource(request, resource_id)
    except DomainError as exc:
        return render(request, "web/problem.html", {"status": report(request, exc)}, status=404)
    return render(request, template, board_context(request, resource), status=status)


@provider_required
@require_GET
def board(request: HttpRequest, resource_id: int) -> HttpResponse:
    return _page(request, resource_id, "web/dashboard/walkins/board.html")


@provider_required
@require_GET
def tv(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The TV view; an htmx poll asks for the `#tv` part only (`HX-Request`)."""
    template = "web/dashboard/walkins/tv.html"
    if request.headers.get("HX-Request"):
        template = "web/dashboard/walkins/tv_body.html"
    return _page(request, resource_id, template)


def _act(request: HttpRequest, resource_id: int, call: Any, done: str) -> HttpResponse:
    """Run a walk-in service; a refusal is the board again with its sentence and status."""
    try:
        resource = _managed_resource(request, resource_id)
        call(resource)
    except DomainError as exc:
        status = report(request, exc)
        return _page(request, resource_id, "web/dashboard/walkins/board.html", status=status)
    messages.success(request, done)
    return redirect("web:walkin-board", resource_id=resource_id)


def _walkin_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("walkin", "")
    return int(raw) if raw.isdigit() else None


@provider_required
@require_POST
def call_next(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Serve the next in line, or the one posted as `walkin`."""
    return _act(
        request,
        resource_id,
        lambda r: walkin_serve(resource=r, actor=request.user, walkin_id=_walkin_id(request)),
        _("Called. They are being served now."),
    )


@provider_required
@require_POST
def finish(request: HttpRequest, resource_id: int) -> HttpResponse:
    def call(resource: Resource) -> None:
        walkin = WalkIn.objects.filter(pk=_walkin_id(request) or 0, resource=resource).first()
        if walkin is None:
            raise NotFound("No such walk-in in this queue.", code="walkin_not_found")
        walkin_finish(walkin=walkin, actor=request.user)

    return _act(request, resource_id, call, _("Finished. The service is recorded."))


@provider_required
@require_POST
def add(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Queue someone without an account, by name (and phone)."""
    name = request.POST.get("name", "")[:120]
    phone = request.POST.get("phone", "")[:32]
    return _act(
        request,
        resource_id,
        lambda r: walkin_join(resource=r, actor=request.user, name=name, phone=phone),
        _("Added to the queue."),
    )
