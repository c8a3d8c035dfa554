from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maakstad.core.models import Notification
from maakstad.core.types import AuthenticatedHttpRequest
from maakstad.organisations import permissions


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "memberships": permissions.memberships(user),
        "pupil": permissions.pupil_of(user),
        "is_programme_office": permissions.is_programme_office(user),
        "recent_notifications": Notification.objects.filter(recipient=user)[:5],
    }
    return render(request, "core/home.html", context)


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "core/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def inbox_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url or "core:inbox")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
