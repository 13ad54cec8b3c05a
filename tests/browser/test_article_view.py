"""The article page's beacon in a real Chromium: sent under the Content-Security-Policy, counted once."""

import pytest

from reviews.models import Article

from .conftest import LISTEN, VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Headless Chromium says "HeadlessChrome", which the counter rightly takes for a robot: a reader's browser.
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def test_reading_an_article_records_one_view(live_server, browser, catalog):
    article = Article.objects.get()
    context = browser.new_context(viewport=VIEWPORTS["desktop"], user_agent=READER)
    context.add_init_script(LISTEN)
    page = context.new_page()
    try:
        with page.expect_request(lambda request: request.url.endswith("/view/")) as sent:
            page.goto(live_server.url + article.get_absolute_url())
        assert sent.value.method == "POST"
        assert sent.value.response().status == 204
        assert page.evaluate("window.cspViolations") == []
        assert not context.cookies()  # the page and the beacon set none

        page.reload()
        page.wait_for_load_state("networkidle")
        assert "59 views" in page.locator(".article-meta").inner_text()  # the fixture's 58 and this reader, once
    finally:
        context.close()
    assert Article.objects.values_list("view_count", flat=True).get() == 59
