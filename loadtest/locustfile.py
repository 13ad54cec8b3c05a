"""Visitors browse and search while two editors save albums and reviews through the admin.

Started by loadtest/run.py, which seeds the database and passes, in the environment:
LOADTEST_DATA (the JSON written by `loadtest.data seed`), LOADTEST_MARKERS (where each save the
editors count as done is written), LOADTEST_SUMMARY (where the final numbers go) and LOADTEST_RUN
(a tag that makes every marker unique).

Every request says `X-Forwarded-Proto: https`, as the TLS proxy in front of production does, so the
site runs with its production settings unchanged: no HTTPS redirect, secure cookies, the CSRF checks
of Origin and Referer that apply to HTTPS.
"""

import itertools
import json
import os
import random
import sys
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

from django_otp.oath import totp
from locust import FastHttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.pages import form_data, parse  # noqa: E402 (the tests' reader of forms, as a browser submits them)

DATA = json.loads(Path(os.environ["LOADTEST_DATA"]).read_text())
MARKERS = Path(os.environ["LOADTEST_MARKERS"])
TAG = os.environ.get("LOADTEST_RUN", "run")
PROXY = {"X-Forwarded-Proto": "https"}
THINK = float(os.environ.get("LOADTEST_THINK", "2"))  # mean seconds a visitor reads between pages
SEARCHES = ["lost", "translation", "kevin shields", "tokyo", "neon rain", "sébastien", "harbour 12", "xyzzy", "film"]
ALBUM_FILTERS = {
    "genre": DATA["genres"], "label": DATA["labels"], "type": ["soundtrack", "score", "compilation", "ep"],
    "decade": ["1970", "1990", "2000", "2010"], "year_min": ["1980", "2000"], "year_max": ["2005", "2020"],
    "sort": ["title", "-release_date", "release_date", "-score", "-reviews"], "has_reviews": ["true", "false"],
    "band": ["acclaim", "mixed"], "film": DATA["film_titles"], "artist": DATA["artist_names"],
}
REVIEW_FILTERS = {
    "publication": DATA["publications"], "critic": DATA["critics"], "score_min": ["40", "60"],
    "score_max": ["80", "100"], "date_from": ["2000", "2010-05"], "sort": ["-date", "-score", "score"],
}


def some_of(filters):
    """One or two filters with values, and now and then a later page."""
    params = {name: random.choice(filters[name]) for name in random.sample(sorted(filters), random.randint(1, 2))}
    if random.random() < 0.4:
        params["page"] = random.randint(2, 6)
    return params


VISITOR_NUMBERS = itertools.count(1)


class Visitor(FastHttpUser):
    weight = 1
    wait_time = between(THINK / 2, THINK * 1.5)

    def __init__(self, environment):
        # Each visitor from an address of its own (benchmarking range 198.18.0.0/15), as the proxy in front
        # reports it (run.py sets DJANGO_TRUSTED_PROXIES=1): the per-address rate limits of searches and
        # filtered lists apply to each visitor as to a real one, not to all of them as one address.
        number = next(VISITOR_NUMBERS)
        self.default_headers = {**PROXY, "X-Forwarded-For": f"198.18.{number // 256}.{number % 256}"}
        super().__init__(environment)

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(6)
    def albums(self):
        self.client.get("/albums/", params=some_of(ALBUM_FILTERS), name="album list (filters, pages)")

    @task(6)
    def album(self):
        self.client.get(f"/albums/{random.choice(DATA['albums'])}/", name="album page")

    @task(3)
    def artist(self):
        self.client.get(f"/artists/{random.choice(DATA['artists'])}/", name="artist page")

    @task(3)
    def reviews(self):
        self.client.get("/reviews/", params=some_of(REVIEW_FILTERS), name="review list (filters, pages)")

    @task(2)
    def tracks(self):
        self.client.get("/tracks/", params={"sort": random.choice(["album", "-length"]),
                                            "page": random.randint(1, 20)}, name="track list")

    @task(4)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="search")

    @task(2)
    def other(self):
        kind, slugs = random.choice([
            ("labels", "labels"), ("genres", "genres"), ("films", "films"),
            ("publications", "publications"), ("critics", "critics"),
        ])
        self.client.get(f"/{kind}/{random.choice(DATA[slugs])}/", name="label, genre, film, publication, critic")

    @task(1)
    def feed(self):
        self.client.get("/reviews/feed/", name="review feed")


EDITOR_NUMBERS = itertools.count()


class Editor(FastHttpUser):
    """Logs in through the admin's form, then saves its own albums and reviews, one after another."""

    fixed_count = 2
    default_headers = PROXY
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.number = next(EDITOR_NUMBERS)
        account = DATA["editors"][self.number]
        self.albums = itertools.cycle(account["albums"])
        self.reviews = itertools.cycle(account["reviews"])
        self.sequence = itertools.count(1)
        # Django marks its cookies Secure; over this loopback http the jar must still send them back.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("http", "https")))
        form = self.client.get("/admin/login/?next=/admin/", name="admin login form")
        data = form_data(form.text, form_id="login-form")
        code = totp(bytes.fromhex(account["totp_key"]))  # What the editor's authenticator app shows now.
        data.update(username=account["username"], password=account["password"], otp_token=f"{code:06d}")
        self.post_form("/admin/login/?next=/admin/", data, "admin login", expect="/admin/")

    @task
    def save_album(self):
        self.save("album", next(self.albums), "/admin/catalog/album/{}/change/", "album_form", "description")

    @task
    def save_review(self):
        self.save("review", next(self.reviews), "/admin/reviews/review/{}/change/", "review_form", "quote")

    def save(self, kind, pk, url, form_id, field):
        """GET the change form, post back every field it has with `field` extended by a unique marker."""
        url = url.format(pk)
        with self.client.get(url, name=f"admin: {kind} form", allow_redirects=False, catch_response=True) as page:
            if page.status_code != 200 or f'id="{form_id}"' not in page.text:
                page.failure(f"{page.status_code} {page.headers.get('Location', '')}: no {form_id}")
                return
        data = form_data(page.text, form_id=form_id)
        marker = f"{TAG}-{self.number}-{kind}-{next(self.sequence)}"
        data[field] = f"{data.get(field, '').strip()} {marker}".strip()
        data["_save"] = "Save"
        if self.post_form(url, data, f"admin: save {kind}", expect=url.rsplit("/", 3)[0] + "/"):
            with MARKERS.open("a") as markers:
                markers.write(json.dumps({"kind": kind, "pk": pk, "marker": marker}) + "\n")

    def post_form(self, url, data, name, expect):
        """POST as a browser does (Origin and Referer of the HTTPS site); success is a redirect to `expect`.

        Multiple selects post one value per option chosen (doseq).
        """
        origin = f"https://{self.host.split('://', 1)[1]}"
        headers = {"Origin": origin, "Referer": origin + url, "Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(url, data=urlencode(data, doseq=True), headers=headers, name=name,
                              allow_redirects=False, catch_response=True) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location.split("?")[0].endswith(expect):
                return True
            errors = parse(response.text).find(class_="errornote") if response.text else None
            response.failure(f"{response.status_code} {location} {errors.text if errors else ''}".strip())
            return False


RUN = {}


@events.init.add_listener
def remember_environment(environment, **kwargs):
    RUN["environment"] = environment


@events.quit.add_listener
def write_summary(exit_code, **kwargs):
    """The final numbers, once every user has stopped (locust's CSV files are written a second behind)."""
    runner = RUN["environment"].runner
    if runner is None or "LOADTEST_SUMMARY" not in os.environ:
        return
    stats = runner.stats
    total = stats.total
    saves = [entry for (name, _method), entry in stats.entries.items() if name.startswith("admin: save")]
    Path(os.environ["LOADTEST_SUMMARY"]).write_text(json.dumps({
        "requests": total.num_requests,
        "failures": total.num_failures + sum(error["count"] for error in runner.exceptions.values()),
        "rps": total.total_rps,
        **{f"p{point}": total.get_response_time_percentile(point / 100) for point in (50, 95, 99)},
        "save_posts": sum(entry.num_requests for entry in saves),
        "save_p95": max((entry.get_response_time_percentile(0.95) for entry in saves), default=0),
        "failure_kinds": [f"{error.occurrences}× {error.method} {error.name}: {error.error}"
                          for error in stats.errors.values()]
        + [f"{error['count']}× exception in a task: {error['msg']}" for error in runner.exceptions.values()],
    }))
