#!/usr/bin/env bash
# Re-vendor axe-core from the npm registry into service/static/axe (the page tests inject it; no CDN).
set -euo pipefail
version="${1:-4.14.1}"
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
(cd "$tmp" && npm pack "axe-core@$version" --silent >/dev/null && tar xzf ./*.tgz)
mkdir -p service/static/axe
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" service/static/axe/
echo "axe-core $version (MPL-2.0), from the npm registry" > service/static/axe/VERSION
rm -rf "$tmp"
