"""Notifications: an inbox row for users, an e-mail through Django's mail API, sent on commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from maakstad.core.models import Notification


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.MAAKSTAD_SITE_URL.rstrip("/") + path


def send_email_on_commit(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> None:
    """Send one e-mail after the surrounding transaction commits (never for a rolled-back write)."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    files = list(attachments)

    def send() -> None:
        message = EmailMessage(subject=subject, body=body, to=recipients)
        for name, content, mimetype in files:
            message.attach(name, content, mimetype)
        message.send()

    transaction.on_commit(send)


def notify(
    recipients: Iterable[Any],
    *,
    subject: str,
    body: str,
    url: str = "",
    email: bool = True,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> list[Notification]:
    """Put a message in each user's inbox and e-mail it to them."""
    created = []
    files = list(attachments)
    for user in {u.pk: u for u in recipients if u is not None}.values():
        created.append(
            Notification.objects.create(recipient=user, subject=subject[:200], body=body, url=url)
        )
        if email and user.email and user.is_active:
            text = render_to_string(
                "core/email/notification.txt",
                {"user": user, "body": body, "url": absolute_url(url)},
            )
            send_email_on_commit(to=[user.email], subject=subject, body=text, attachments=files)
    return created
