# Shared set-up steps for ./scripts/serve, ./scripts/test and ./scripts/bench (sourced).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
      echo "$candidate"; return
    fi
  done
  echo "Python 3.11 or newer is required." >&2; exit 1
}

# ensure_venv base|dev — create .venv if missing and install the pinned requirements
# (only when the requirements file changed since the last install).
ensure_venv() {
  local which="$1" req="$ROOT/requirements/$1.txt" stamp
  [ -x "$VENV/bin/python" ] || "$(find_python)" -m venv "$VENV"
  stamp="$VENV/.installed-$which-$(sha256sum "$req" requirements/*.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r "$req"
    touch "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

# Third-party front-end assets come from the npm registry (never committed, never a CDN).
ensure_assets() {
  local stamp="$ROOT/node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      apt_install nodejs npm
    fi
    npm ci --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

# apt_install PKG... — install Debian packages that are missing (needs root).
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install: ${missing[*]}" >&2; return 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

compile_translations() {
  python manage.py compiletranslations
}

postgres_answers() {
  python - <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}
