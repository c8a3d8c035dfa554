"""The navigation: each app registers its menu items with a visibility rule per user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)


def items_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"label": str(item.label), "url": reverse(item.url_name)}
        for item in sorted(_items, key=lambda i: i.order)
        if item.visible(user)
    ]
