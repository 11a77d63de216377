#!/usr/bin/env bash
# Install node_modules/ with npm ci (bpmn-js, and bpmnlint for `make lint-bpmn`),
# then copy the front-end files the web app serves (bpmn-js NavigatedViewer),
# and axe-core, which the browser tests inject into every page they visit
# (tests/browser/live.py), from node_modules/ into webapp/static/vendor/. Both directories are git-ignored
# build outputs; the pinned versions live in package.json / package-lock.json.
#
# Usage: bash scripts/vendor_assets.sh   (from any directory; idempotent)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

# (Re)install only when node_modules is missing, older than the lockfile, or
# lacks bpmnlint (the devDependency `make lint-bpmn` runs; the same npm ci
# installs it). npm ci deletes and recreates node_modules, which refreshes
# its mtime.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ] \
        || [ ! -x node_modules/.bin/bpmnlint ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
    echo "vendor_assets: running npm ci" >&2
    npm ci --include=dev --no-audit --no-fund
    touch node_modules
fi

SRC="node_modules/bpmn-js/dist"
DEST="webapp/static/vendor/bpmn-js"

for f in \
    "$SRC/bpmn-navigated-viewer.production.min.js" \
    "$SRC/assets/diagram-js.css" \
    "$SRC/assets/bpmn-js.css" \
    "$SRC/assets/bpmn-font/css/bpmn.css"
do
    if [ ! -f "$f" ]; then
        echo "vendor_assets: missing $f (is bpmn-js installed?)" >&2
        exit 1
    fi
done

# Build into a temporary directory, then swap it in, so a failed copy never
# leaves a half-populated vendor folder and stale files from an older
# bpmn-js release do not linger.
mkdir -p "$(dirname "$DEST")"
TMP="$(mktemp -d "$(dirname "$DEST")/.bpmn-js.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$TMP/assets"
cp "$SRC/bpmn-navigated-viewer.production.min.js" "$TMP/"
cp "$SRC/assets/diagram-js.css" "$SRC/assets/bpmn-js.css" "$TMP/assets/"
cp -R "$SRC/assets/bpmn-font" "$TMP/assets/bpmn-font"
cp node_modules/bpmn-js/LICENSE "$TMP/LICENSE"
chmod -R a+rX "$TMP"

rm -rf "$DEST"
mv "$TMP" "$DEST"
trap - EXIT

# axe-core: one file, no page links to it; only the browser tests load it.
AXE_DEST="webapp/static/vendor/axe-core"
mkdir -p "$AXE_DEST"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$AXE_DEST/"
chmod -R a+rX "$AXE_DEST"

VERSION="$(node -p "require('./node_modules/bpmn-js/package.json').version")"
echo "vendor_assets: bpmn-js $VERSION -> $DEST" >&2
AXE_VERSION="$(node -p "require('./node_modules/axe-core/package.json').version")"
echo "vendor_assets: axe-core $AXE_VERSION -> $AXE_DEST" >&2

# Swagger UI for the API's documentation page (/api/docs): served from here,
# never a CDN (the Content-Security-Policy allows only this site's scripts).
SWAGGER_SRC="node_modules/swagger-ui-dist"
SWAGGER_DEST="webapp/static/vendor/swagger-ui"
for f in swagger-ui-bundle.js swagger-ui.css LICENSE; do
    if [ ! -f "$SWAGGER_SRC/$f" ]; then
        echo "vendor_assets: missing $SWAGGER_SRC/$f (is swagger-ui-dist installed?)" >&2
        exit 1
    fi
done
TMP="$(mktemp -d "$(dirname "$SWAGGER_DEST")/.swagger-ui.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cp "$SWAGGER_SRC/swagger-ui-bundle.js" "$SWAGGER_SRC/swagger-ui.css" "$SWAGGER_SRC/LICENSE" "$TMP/"
chmod -R a+rX "$TMP"
rm -rf "$SWAGGER_DEST"
mv "$TMP" "$SWAGGER_DEST"
trap - EXIT
echo "vendor_assets: swagger-ui-dist $(node -p "require('./$SWAGGER_SRC/package.json').version") -> $SWAGGER_DEST" >&2

# Chart.js for the dashboard's charts (each beside its table, for screen readers).
CHART_SRC="node_modules/chart.js"
CHART_DEST="webapp/static/vendor/chart.js"
for f in dist/chart.umd.min.js LICENSE.md; do
    if [ ! -f "$CHART_SRC/$f" ]; then
        echo "vendor_assets: missing $CHART_SRC/$f (is chart.js installed?)" >&2
        exit 1
    fi
done
TMP="$(mktemp -d "$(dirname "$CHART_DEST")/.chart-js.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cp "$CHART_SRC/dist/chart.umd.min.js" "$CHART_SRC/LICENSE.md" "$TMP/"
chmod -R a+rX "$TMP"
rm -rf "$CHART_DEST"
mv "$TMP" "$CHART_DEST"
trap - EXIT
echo "vendor_assets: chart.js $(node -p "require('./$CHART_SRC/package.json').version") -> $CHART_DEST" >&2
