#!/usr/bin/env bash
# A production install from requirements.txt alone: a fresh virtualenv, no test or tool package in it,
# `make serve` (gunicorn, debug off) answering the album page.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

export VENV="$work/venv" DATABASE_URL="sqlite:///$work/db.sqlite3" DJANGO_STATIC_ROOT="$work/static"
export DJANGO_SECRET_KEY=production-install-check-0123456789-abcdefghijklmnopqrstuvwxyz
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 WEB_CONCURRENCY=1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

make --no-print-directory venv VENV="$VENV" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
for module in pytest playwright locust hypothesis flask pip_audit factory ruff; do
  if "$VENV/bin/python" -c "import $module" 2>/dev/null; then
    echo "FAIL: requirements.txt installs $module, a test or tool package" >&2; exit 1
  fi
done
echo "requirements.txt installs $("$VENV/bin/pip" freeze | wc -l) packages; none of the test or tool packages"

"$VENV/bin/python" manage.py migrate --no-input --verbosity 0
"$VENV/bin/python" manage.py load_checked fixtures/*.json --verbosity 0
make --no-print-directory serve VENV="$VENV" PORT="$port" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 0.5
done
status=$(curl -s -o "$work/album.html" -w '%{http_code}' "http://127.0.0.1:$port/albums/lost-in-translation/")
if [ "$status" != 200 ] || ! grep -q "Lost in Translation" "$work/album.html"; then
  echo "FAIL: the album page answered $status" >&2; cat "$work/serve.log" >&2; exit 1
fi
echo "make serve from requirements.txt alone answers the album page (200, $(wc -c <"$work/album.html") bytes)"
