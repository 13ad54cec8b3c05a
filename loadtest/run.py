"""`make loadtest`: the site in its production configuration under gunicorn, on SQLite and on PostgreSQL,
with 50 visitors browsing and searching while 2 editors save albums and reviews through the admin.

For each database: a throwaway database (a file in a temporary folder, or a PostgreSQL database created
here and dropped afterwards), migrated, the fixtures and a generated catalog loaded; gunicorn on a free
port of 127.0.0.1; a headless locust run of a fixed length; then a check that every save the editors
counted as done is in the database. Prints requests, failures, requests per second and p50/p95/p99 per
database, and exits non-zero on any failed request, server error or lost save. Everything started here
is stopped, and everything made is removed, however the run ends.

    python -m loadtest.run [--duration 60] [--databases sqlite postgres] [--visitors 50]
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURES = sorted(str(path) for path in (ROOT / "fixtures").glob("*.json"))
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("LOADTEST_DURATION", 60)),
                        help="seconds of load on each database (default 60)")
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a visitor spends on a page (0: as fast as the server answers)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (2 cores: 3)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--postgres", default=os.environ.get("LOADTEST_PG_URL", "postgres://postgres@127.0.0.1:5432"),
                        help="a PostgreSQL server on this machine, as a URL without a database name")
    args = parser.parse_args()
    if urlsplit(args.postgres).hostname not in LOOPBACK:
        parser.error("the load test only runs against this machine: --postgres must be on 127.0.0.1")

    results = []
    with tempfile.TemporaryDirectory(prefix="loadtest-") as shared:
        static = Path(shared) / "static"
        for database in args.databases:
            with tempfile.TemporaryDirectory(prefix=f"loadtest-{database}-") as folder:
                folder = Path(folder)
                with throwaway_database(database, folder, args.postgres) as url:
                    env = production_env(url, folder, static)
                    results.append(run_one(database, env, folder, args))
    print(report(results, args))
    return 0 if all(result["ok"] for result in results) else 1


def production_env(database_url, folder, static):
    """The production settings: debug off, a fresh secret, static files collected, this host only."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_TRUSTED_PROXIES="1",  # The visitors' X-Forwarded-For (locustfile.py): one address each.
        PYTHONPATH=str(ROOT),
    )
    return env


@contextmanager
def throwaway_database(database, folder, postgres):
    if database == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite3'}"
        return
    import psycopg

    name = f"soundtrack_load_{os.getpid()}"
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{postgres}/{name}"
    finally:
        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_one(database, env, folder, args):
    step(f"{database}: migrate, load the fixtures and a generated catalog")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_checked", *FIXTURES, "--verbosity", "0")
    if not Path(env["DJANGO_STATIC_ROOT"]).exists():
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    data = folder / "data.json"
    subprocess.run([sys.executable, "-m", "loadtest.data", "seed", str(data)], cwd=ROOT, env=env, check=True)

    port = free_port()
    log = folder / "server.log"
    step(f"{database}: gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads), "
         f"{args.visitors} visitors and 2 editors for {args.duration} s")
    with open(log, "w") as server_log, serving(env, port, args, server_log):
        markers = folder / "markers.jsonl"
        markers.touch()
        summary = folder / "summary.json"
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--only-summary",
             "--users", str(args.visitors + 2), "--spawn-rate", str(args.visitors + 2),
             "--run-time", f"{args.duration}s", "--stop-timeout", "10", "--host", f"http://127.0.0.1:{port}",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOADTEST_DATA": str(data), "LOADTEST_MARKERS": str(markers),
                           "LOADTEST_SUMMARY": str(summary), "LOADTEST_RUN": secrets.token_hex(3),
                           "LOADTEST_THINK": str(args.think)},
            timeout=args.duration + 120, stdout=subprocess.DEVNULL,
        )
    verified = json.loads(subprocess.run(
        [sys.executable, "-m", "loadtest.data", "verify", str(markers)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout)
    logged = log.read_text().splitlines()
    server_errors = [line for line in logged if "Traceback" in line or " ERROR " in line or "Forbidden" in line]
    result = {"database": database, **json.loads(summary.read_text()), **verified, "server_errors": server_errors}
    result["ok"] = not (result["failures"] or result["lost"] or server_errors) and result["saves"] > 0
    return result


def manage(env, *command):
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(env, port, args, log):
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "soundtrack_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_until_up(port, server)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)  # gunicorn stops its workers gracefully
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_until_up(port, server, seconds=60):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving; see its log above")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {seconds} s")


def report(results, args):
    lines = [
        "", f"Load test: {args.visitors} visitors (pages {args.think:g} s apart on average) + 2 editors, "
        f"{args.duration} s per database, "
        f"gunicorn {args.workers} workers × {args.threads} threads, {os.cpu_count()} cores", "",
        "| database | requests | failures | req/s | p50 ms | p95 ms | p99 ms | editor saves (p95 ms) | lost saves |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['requests']} | {r['failures']} | {r['rps']:.1f} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['saves']} of {r['save_posts']} ({r['save_p95']:.0f}) | "
            f"{len(r['lost'])} |"
        )
    for r in results:
        lines.append(f"\n{r['database']}: lost saves: {len(r['lost'])}" + "".join(
            f"\n  lost: {save['kind']} {save['pk']} {save['marker']}" for save in r["lost"]
        ))
        lines.extend(f"  failed: {kind}" for kind in r["failure_kinds"])
        lines.extend(f"  server: {line}" for line in r["server_errors"][:20])
        if not r["saves"]:
            lines.append("  no editor save succeeded")
    lines.append("\nPASSED" if all(r["ok"] for r in results) else "\nFAILED")
    return "\n".join(lines)


def step(message):
    print(f"\n==> {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
