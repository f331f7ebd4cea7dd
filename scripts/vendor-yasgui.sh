#!/usr/bin/env bash
# Re-vendor YASGUI from the npm registry into service/static/yasgui (served by us, no CDN).
set -euo pipefail
version="${1:-4.6.2}"
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
(cd "$tmp" && npm pack "@zazuko/yasgui@$version" --silent >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/build/yasgui.min.js" "$tmp/package/build/yasgui.min.css" service/static/yasgui/
echo "@zazuko/yasgui $version (MIT), from the npm registry" > service/static/yasgui/VERSION
rm -rf "$tmp"
