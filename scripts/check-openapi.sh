#!/usr/bin/env bash
# The OpenAPI document as API tooling reads it: Spectral's stock `spectral:oas` ruleset
# (.spectral.yaml) on the document the service serves with its default environment, written by the
# project's own generator (`scripts/dev.sh client --document`, the one clients/python is
# generated from). Any error fails; warnings are printed. The one warning left, and why, is in
# docs/api.md ("The OpenAPI document, linted").
#
# Spectral and each of its dependencies are pinned with their hashes in
# scripts/spectral/package-lock.json and installed from npm with `npm ci` (no install scripts),
# into scripts/spectral/node_modules (ignored by git), again only when the lock changed. To move
# the pin: edit scripts/spectral/package.json, then `npm install --package-lock-only
# --ignore-scripts` in scripts/spectral.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOL=scripts/spectral
STAMP="$TOOL/node_modules/.installed-lock"

if ! command -v npm >/dev/null; then
    echo "check-openapi: npm is needed (Debian: apt-get install nodejs npm)" >&2
    exit 1
fi
digest=$(sha256sum "$TOOL/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$digest" ]; then
    echo "check-openapi: installing Spectral from $TOOL/package-lock.json" >&2
    npm ci --prefix "$TOOL" --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$digest" >"$STAMP"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
.venv/bin/python -m scripts.generate_client --document "$scratch/openapi.json"
"$TOOL/node_modules/.bin/spectral" --version | sed 's/^/check-openapi: Spectral /'
"$TOOL/node_modules/.bin/spectral" lint --ruleset .spectral.yaml --fail-severity error \
    "$scratch/openapi.json"
