#!/usr/bin/env bash
# Validates the packaging sources: the desktop file, the AppStream metainfo,
# the Debian changelog, the icon and the man pages.  No network, no root.
#
#   packaging/validate.sh [VERSION]
#
# VERSION (default: the project() version in CMakeLists.txt) must be the
# newest <release> of the metainfo and is put into the man pages as CMake does.
# Exit 0 when everything is clean, 1 on any error or warning, 77 when a
# validator is not installed (scripts/install-deps.sh installs them).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
app_id=io.github.dbops.console

version=${1:-$(sed -n 's/^project([^)]*VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")}
[ -n "$version" ] || { echo "validate: cannot read the project version" >&2; exit 1; }

for tool in desktop-file-validate appstreamcli xmllint man; do
  if ! command -v "$tool" >/dev/null; then
    echo "validate: SKIP: $tool is not installed (scripts/install-deps.sh)"
    exit 77
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "validate: FAIL: $*" >&2; status=1; }

# desktop-file-validate prints errors, warnings and hints; any output is a finding.
if ! out=$(desktop-file-validate "$here/$app_id.desktop" 2>&1) || [ -n "$out" ]; then fail "desktop-file-validate: $out"; else echo "ok: $app_id.desktop"; fi

# --strict: warnings fail too; --pedantic findings are printed.
if ! appstreamcli validate --no-net --strict --pedantic "$here/$app_id.metainfo.xml"; then
  fail "appstreamcli validate $app_id.metainfo.xml"
fi
grep -q "<id>$app_id</id>" "$here/$app_id.metainfo.xml" || fail "metainfo id is not $app_id"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$here/$app_id.metainfo.xml" \
  || fail "metainfo launchable is not $app_id.desktop"
newest=$(grep -o '<release version="[^"]*"' "$here/$app_id.metainfo.xml" | head -n 1 | cut -d'"' -f2)
[ "$newest" = "$version" ] || fail "newest metainfo <release> is '$newest', the project version is $version"

# The Debian changelog template: parses, and its version is the project's.
if command -v dpkg-parsechangelog >/dev/null; then
  sed "s/@PROJECT_VERSION@/$version/g" "$here/changelog.Debian.in" >"$tmp/changelog"
  if cl_version=$(dpkg-parsechangelog -l "$tmp/changelog" -S Version 2>&1) && [ "$cl_version" = "$version-1" ]; then
    echo "ok: changelog.Debian ($cl_version)"
  else
    fail "changelog.Debian: $cl_version"
  fi
fi

# The icon: well-formed SVG with a viewBox, no external references.
if xmllint --noout "$here/dbops-console.svg"; then
  grep -q 'viewBox=' "$here/dbops-console.svg" || fail "dbops-console.svg has no viewBox"
  ! grep -Eq '(xlink:)?href="(https?:|file:|/)' "$here/dbops-console.svg" || fail "dbops-console.svg references external files"
  echo "ok: dbops-console.svg"
else
  fail "dbops-console.svg is not well-formed XML"
fi

# Man pages: the same check lintian runs (groff warnings), after CMake's substitution.
for page in dbops.1 dbops-console.1; do
  sed "s/@PROJECT_VERSION@/$version/g" "$here/man/$page.in" >"$tmp/$page"
  if grep -q '@[A-Z_]*@' "$tmp/$page"; then fail "$page: unsubstituted @VARIABLE@"; fi
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$tmp/$page" 2>&1 >/dev/null)
  if [ -n "$warnings" ]; then fail "$page: $warnings"; else echo "ok: $page"; fi
done

exit "$status"
