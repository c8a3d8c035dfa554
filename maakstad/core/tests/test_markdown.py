from maakstad.core.markdown import render_markdown


def test_markdown_is_rendered_and_scripts_never_survive() -> None:
    html = render_markdown(
        "**Sterk** [link](https://example.org)\n\n<script>alert(1)</script>"
        "<img src=x onerror=alert(2)> [x](javascript:alert(3))"
    )
    assert "<strong>Sterk</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
