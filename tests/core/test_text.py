from html.parser import HTMLParser

import pytest

from beacon.core.text import ALLOWED_TAGS, render_markdown

pytestmark = pytest.mark.django_db(databases=[])

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "![x](https://tracker.example/pixel.png)",
    "<details open ontoggle=alert(1)>",
    "<a href='x' style='color:red' onclick='alert(1)'>x</a>",
    "[a](vbscript:msgbox(1))",
    "<<script>script>alert(1)<</script>/script>",
    "<form action=https://evil.example><input name=q></form>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_render_markdown_removes_scripts_handlers_and_foreign_content(payload):
    html = str(render_markdown(payload))

    tags = parse(html)
    assert {name for name, _ in tags} <= ALLOWED_TAGS
    for _name, attrs in tags:
        for attr, value in attrs:
            assert attr in {"href", "title", "rel", "start"}
            if attr == "href":
                assert (value or "").split(":")[0].lower() in {"https", "http", "mailto"}


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parse(html: str) -> list:
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


def test_render_markdown_keeps_ordinary_formatting():
    html = str(
        render_markdown("# Title\n\nSome *kind* **words** and a [link](https://ok.example).")
    )

    assert html == (
        "<h2>Title</h2>\n<p>Some <em>kind</em> <strong>words</strong> and a "
        '<a href="https://ok.example" rel="nofollow noopener noreferrer ugc">link</a>.</p>\n'
    )


def test_render_markdown_escapes_raw_html_as_text():
    html = str(render_markdown("I <3 my <b>friends</b>"))

    assert html == "<p>I &lt;3 my &lt;b&gt;friends&lt;/b&gt;</p>\n"


def test_render_markdown_handles_empty_input():
    assert str(render_markdown("")) == ""
