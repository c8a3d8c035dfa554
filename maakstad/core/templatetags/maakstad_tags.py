from typing import Any

from django import template
from django.utils.safestring import SafeString

from maakstad.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render Markdown as sanitised HTML: `{{ offer.description|markdown }}`."""
    return render_markdown(text)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`{{ dict|get_item:key }}` for dictionaries keyed by a variable."""
    if mapping is None:
        return None
    return mapping.get(key)
