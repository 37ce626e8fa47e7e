#!/bin/sh
# Vendor YASGUI (the SPARQL editor of /sparql) into kg/web/static/yasgui/: the built bundle, its stylesheet and
# licences, from the npm registry's tarball of one pinned version, checked against the registry's integrity hash.
# Reproducible: run it again and `git diff` shows nothing. Needs npm and sha256sum; run from anywhere.
#   tools/vendor_yasgui.sh            # the pinned version
#   YASGUI_VERSION=4.2.28 tools/vendor_yasgui.sh
set -eu

VERSION="${YASGUI_VERSION:-4.2.28}"
# The registry's dist.integrity of @triply/yasgui@4.2.28 (npm view @triply/yasgui@4.2.28 dist.integrity).
INTEGRITY_4_2_28="sha512-HN1neZqERSGoDyk/Fg40nI+F0tHnaBxjqizhN0mur2Kj0oJsklBsFMRk/M+wW+ohy8dSEn7AgX3H0pPrV/wmVg=="

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/kg/web/static/yasgui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "@triply/yasgui@$VERSION" >/dev/null
TARBALL="triply-yasgui-$VERSION.tgz"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$VERSION" = "4.2.28" ] && [ "$ACTUAL" != "$INTEGRITY_4_2_28" ]; then
  echo "vendor_yasgui: $TARBALL does not match the pinned integrity hash" >&2
  exit 1
fi
tar -xzf "$TARBALL"

mkdir -p "$DEST"
rm -f "$DEST"/*
cp package/build/yasgui.min.js package/build/yasgui.min.css "$DEST/"
cp package/LICENSE.txt "$DEST/LICENSE.txt"
cp package/build/yasgui.min.js.LICENSE.txt "$DEST/THIRD-PARTY-LICENSES.txt"
{
  echo "@triply/yasgui $VERSION (MIT), from the npm registry; vendored by tools/vendor_yasgui.sh"
  echo "tarball integrity: $ACTUAL"
  echo "SHA-256 of the vendored files:"
  (cd "$DEST" && sha256sum yasgui.min.js yasgui.min.css LICENSE.txt THIRD-PARTY-LICENSES.txt)
} >"$DEST/VERSION"
echo "vendored @triply/yasgui $VERSION into $DEST"
