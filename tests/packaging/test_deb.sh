#!/usr/bin/env bash
# Builds the .deb the way a user does, from a DEFAULT configure (no
# -DCMAKE_INSTALL_PREFIX, so /usr/local), checks that it installs under /usr
# and that the binaries find their bundled migrations relative to themselves,
# then installs it with dpkg, runs what it installed, and removes it again.
#
#   test_deb.sh BUILD_DIR SOURCE_DIR VERSION CMAKE CPACK BUILD_TREE_DBOPS
#
# Compiling the product a second time would take far longer than this test
# may (2 cores: over ten minutes), so the default configure only configures:
# its CPack configuration (CPackConfig.cmake: prefix, DESTDIR, the package's
# fields) builds the package, from BUILD_DIR's binaries (its install rules
# are the same; CPack installs their relative destinations under its own
# prefix).  BUILD_DIR's installed targets are brought up to date first.
#
# Needs root and a free dpkg; otherwise it exits 77 (skipped).  The package is
# removed whatever happens (trap); a run killed before it could clean up is
# recognised by its marker file and cleaned up by the next run.  Runs of
# several build directories are serialised by a lock file, runs inside one
# ctest by RESOURCE_LOCK dpkg.

# ok and fail always succeed, so "A && ok || fail" is an if-then-else here.
# shellcheck disable=SC2015,SC2016,SC2181
set -uo pipefail

if [ $# -ne 6 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR VERSION CMAKE CPACK BUILD_TREE_DBOPS" >&2
  exit 2
fi
build_dir=$(readlink -f "$1") source_dir=$(readlink -f "$2") version=$3 cmake=$4 cpack=$5 tree_dbops=$(readlink -f "$6")
package=dbops-console
# A Debian package installs under /usr, whatever the build's prefix.
prefix=/usr
share="$prefix/share/dbops-console/migrations"
marker=/var/lib/dbops-console-packaging-test.installed

skip() { echo "SKIP: $*"; exit 77; }
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then ok "$1: $3"; else fail "$1: expected '$2', got '$3'"; fi
}

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
for tool in dpkg dpkg-deb dpkg-query dpkg-shlibdeps flock; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -f "$build_dir/CPackConfig.cmake" ] || skip "$build_dir has no CPackConfig.cmake (not the Qt 6 flavor?)"

# One packaging test at a time on this machine, whatever the build directory.
lockdir=/run/lock
[ -d "$lockdir" ] || lockdir=/tmp
exec 9>"$lockdir/dbops-console-packaging-test.lock"
flock -w 900 9 || skip "another packaging test holds $lockdir/dbops-console-packaging-test.lock"

installed_status() { dpkg-query -W -f='${Status}' "$package" 2>/dev/null; }

# Never replace a dbops-console someone installed, nor files no package owns.
if [ -n "$(installed_status)" ] && [ "$(installed_status)" != "unknown ok not-installed" ]; then
  if [ -f "$marker" ]; then
    echo "note: removing $package left behind by an interrupted run of this test"
    dpkg --purge "$package" || skip "cannot remove the leftover $package (dpkg busy?)"
    rm -f "$marker"
  else
    skip "$package is installed on this machine ($(installed_status)); the test will not replace it"
  fi
fi
for f in "$prefix/bin/dbops" "$prefix/bin/dbops-console"; do
  if [ -e "$f" ]; then
    owner=$(dpkg -S "$f" 2>/dev/null | cut -d: -f1)
    skip "$f exists already (${owner:-owned by no package}); the test will not overwrite it"
  fi
done

tmp=$(mktemp -d)
installed=0
cleanup() {
  if [ "$installed" -eq 1 ]; then
    echo "cleanup: dpkg --purge $package"
    dpkg --purge "$package" >/dev/null 2>&1 || echo "cleanup: dpkg --purge $package FAILED; remove it by hand" >&2
    rm -f "$marker"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- build the package from a default configure -----------------------------
echo "== cmake --build $build_dir (the installed targets)"
if ! "$cmake" --build "$build_dir" --target dbops dbops-console dbops_packaging_files >"$tmp/build.log" 2>&1; then
  tail -n 40 "$tmp/build.log"
  echo "FAIL: building the installed targets in $build_dir" >&2
  exit 1
fi
default_build="$tmp/default-configure"
echo "== cmake -S $source_dir -B $default_build (default configure: no CMAKE_INSTALL_PREFIX)"
generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$build_dir/CMakeCache.txt")
if ! (cd "$tmp" && env -u CMAKE_INSTALL_PREFIX "$cmake" -S "$source_dir" -B "$default_build" ${generator:+-G "$generator"} \
    -DDBOPS_BUILD_TESTS=OFF >"$tmp/configure.log" 2>&1); then
  cat "$tmp/configure.log"
  echo "FAIL: default configure" >&2
  exit 1
fi
default_prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$default_build/CMakeCache.txt")
expect_eq "the default configure's CMAKE_INSTALL_PREFIX" /usr/local "$default_prefix"
echo "== cpack -G DEB (the default configure's CPackConfig.cmake, $build_dir's binaries)"
if ! (cd "$tmp" && "$cpack" --config "$default_build/CPackConfig.cmake" -G DEB -B "$tmp/out" \
    -D "CPACK_INSTALL_CMAKE_PROJECTS=$build_dir;DbOpsConsole;ALL;/" >"$tmp/cpack.log" 2>&1); then
  cat "$tmp/cpack.log"
  echo "FAIL: cpack" >&2
  exit 1
fi
arch=$(dpkg --print-architecture)
deb="$tmp/out/${package}_${version}-1_${arch}.deb"
if [ ! -f "$deb" ]; then
  cat "$tmp/cpack.log"; ls -la "$tmp/out" >&2
  echo "FAIL: cpack did not write $(basename "$deb")" >&2
  exit 1
fi
ok "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# --- what the package says and holds -----------------------------------------
dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
expect_eq Package "$package" "$(field Package)"
expect_eq Version "$version-1" "$(field Version)"
expect_eq Architecture "$arch" "$(field Architecture)"
expect_eq Section database "$(field Section)"
[ -n "$(field Maintainer)" ] && ok "Maintainer: $(field Maintainer)" || fail "no Maintainer"
[ -n "$(field Description)" ] && ok "Description: $(field Description | head -n 1)" || fail "no Description"
depends=$(field Depends)
for dep in libqt6sql6-psql libqt6core6 libqt6widgets6 libc6; do
  # As a word of the list: libqt6sql6 must not count as libqt6sql6-psql.
  if echo "$depends" | sed 's/[,|]/\n/g' | sed 's/^ *//; s/ .*//' | grep -qx "$dep"; then ok "Depends has $dep"
  else fail "Depends lacks $dep: $depends"; fi
done

dpkg-deb -c "$deb" | awk '{print $1, $2, $6}' >"$tmp/contents"
contains() { # MODE PATH
  if grep -q "^$1 root/root \./${2#/}\$" "$tmp/contents"; then ok "contains $2"
  else fail "does not contain $2 (mode $1, root/root)"; fi
}
rel() { echo "${1#/}"; }
contains -rwxr-xr-x "$prefix/bin/dbops"
contains -rwxr-xr-x "$prefix/bin/dbops-console"
contains -rw-r--r-- "$prefix/share/applications/io.github.dbops.console.desktop"
contains -rw-r--r-- "$prefix/share/metainfo/io.github.dbops.console.metainfo.xml"
contains -rw-r--r-- "$prefix/share/icons/hicolor/scalable/apps/dbops-console.svg"
contains -rw-r--r-- "$prefix/share/man/man1/dbops.1.gz"
contains -rw-r--r-- "$prefix/share/man/man1/dbops-console.1.gz"
contains -rw-r--r-- "$prefix/share/doc/dbops-console/copyright"
contains -rw-r--r-- "$prefix/share/doc/dbops-console/changelog.Debian.gz"
contains -rw-r--r-- "$share/schema/head.json"
# Every migration file of the source tree, and nothing else under migrations/.
(cd "$source_dir/migrations" && find versions checks fixes schema -type f | sort) >"$tmp/expected-migrations"
grep -o "\./$(rel "$share")/.*[^/]\$" "$tmp/contents" | sed "s|^\./$(rel "$share")/||" | sort >"$tmp/packaged-migrations"
if diff -u "$tmp/expected-migrations" "$tmp/packaged-migrations"; then
  ok "migrations: $(wc -l <"$tmp/packaged-migrations") files, the source tree's versions/ checks/ fixes/ schema/"
else
  fail "packaged migrations differ from the source tree"
fi
# Everything under ./usr/, nothing under ./usr/local/ (the default configure's prefix).
outside=$(awk '$3 != "./" && $3 !~ /^\.\/usr\//' "$tmp/contents")
[ -z "$outside" ] && ok "every entry is under ./usr/" || fail "entries outside ./usr/: $(head -n 3 <<<"$outside")"
local_entries=$(awk '$3 ~ /^\.\/usr\/local(\/|$)/' "$tmp/contents")
[ -z "$local_entries" ] && ok "nothing under ./usr/local/" || fail "entries under ./usr/local/: $(head -n 3 <<<"$local_entries")"
dpkg-deb -x "$deb" "$tmp/root"

# The extracted binary finds the bundled migrations relative to itself
# (../share/dbops-console/migrations), not at a path compiled in, nor in the
# source tree it was built from.
expected_heads=$(env -u DBOPS_MIGRATIONS "$tree_dbops" --migrations "$source_dir/migrations" heads)
[ -n "$expected_heads" ] || fail "the build tree's dbops ($tree_dbops) prints no heads for $source_dir/migrations"
path_of_heads() { sed -n 's/^ *Path: *//p' | head -n 1; }
extracted_heads=$(cd / && env -u DBOPS_MIGRATIONS "$tmp/root$prefix/bin/dbops" heads)
expect_eq "extracted $prefix/bin/dbops heads (no --migrations, no \$DBOPS_MIGRATIONS)" "$expected_heads" "$extracted_heads"
extracted_path=$(cd / && env -u DBOPS_MIGRATIONS "$tmp/root$prefix/bin/dbops" heads --verbose | path_of_heads)
case "$extracted_path" in
  "$tmp/root$share"/versions/*) ok "the extracted dbops reads the migrations beside it ($extracted_path)" ;;
  *) fail "the extracted dbops reads '${extracted_path:-nothing}', not $tmp/root$share" ;;
esac
if command -v file >/dev/null; then
  for b in dbops dbops-console; do
    if file "$tmp/root$prefix/bin/$b" | grep -q ', stripped'; then ok "$b is stripped"; else fail "$b is not stripped"; fi
  done
fi
gzip -t "$tmp/root$prefix/share/man/man1/dbops.1.gz" "$tmp/root$prefix/share/man/man1/dbops-console.1.gz" \
  "$tmp/root$prefix/share/doc/dbops-console/changelog.Debian.gz" \
  && ok "man pages and changelog are valid gzip" || fail "man pages or changelog are not valid gzip"
if command -v desktop-file-validate >/dev/null; then
  out=$(desktop-file-validate "$tmp/root$prefix/share/applications/io.github.dbops.console.desktop" 2>&1)
  [ $? -eq 0 ] && [ -z "$out" ] && ok "desktop-file-validate: clean" || fail "desktop-file-validate: $out"
fi
if command -v appstreamcli >/dev/null; then
  out=$(appstreamcli validate --no-net --strict "$tmp/root$prefix/share/metainfo/io.github.dbops.console.metainfo.xml" 2>&1)
  [ $? -eq 0 ] && ok "appstreamcli validate: $out" || fail "appstreamcli validate: $out"
fi

# --- install ------------------------------------------------------------------
echo "== dpkg -i"
touch "$marker"
installed=1
if ! dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
  cat "$tmp/dpkg.log"
  st=$(installed_status)
  if grep -qi 'lock' "$tmp/dpkg.log" && { [ -z "$st" ] || [ "$st" = "unknown ok not-installed" ]; }; then
    installed=0; rm -f "$marker"
    skip "dpkg is locked by another process"
  fi
  echo "FAIL: dpkg -i (missing dependencies? run scripts/install-deps.sh)" >&2
  exit 1
fi
expect_eq "dpkg status" "install ok installed" "$(installed_status)"

# --- run what was installed ---------------------------------------------------
cd /
expect_eq "dbops --version" "dbops $version" "$("$prefix/bin/dbops" --version)"
actual_heads=$(env -u DBOPS_MIGRATIONS "$prefix/bin/dbops" --migrations "$share" heads)
expect_eq "dbops --migrations $share heads" "$expected_heads" "$actual_heads"
check_out=$(env -u DBOPS_MIGRATIONS "$prefix/bin/dbops" --migrations "$share" check) \
  && ok "dbops check (installed migrations): $check_out" || fail "dbops check (installed migrations): $check_out"

# Without --migrations (and without $DBOPS_MIGRATIONS) the installed binary
# reads the installed repository, even with the source tree present.
user_heads=$(env -u DBOPS_MIGRATIONS "$prefix/bin/dbops" heads)
expect_eq "dbops heads (no --migrations)" "$expected_heads" "$user_heads"
user_path=$(env -u DBOPS_MIGRATIONS "$prefix/bin/dbops" heads --verbose | path_of_heads)
case "$user_path" in
  "$share"/versions/*) ok "'dbops heads' reads the installed repository ($user_path)" ;;
  *) fail "'dbops heads' reads '${user_path:-nothing}', not $share" ;;
esac

console_version=$(QT_QPA_PLATFORM=offscreen "$prefix/bin/dbops-console" --version 2>"$tmp/console.err")
expect_eq "dbops-console --version" "dbops-console $version" "$console_version"

if command -v man >/dev/null; then
  # Compared as real paths: on Debian /usr/local/man is a link to share/man.
  for page in dbops dbops-console; do
    found=$(man -w "$page" 2>&1)
    expect_eq "man -w $page ($found)" "$(readlink -f "$prefix/share/man/man1/$page.1.gz")" "$(readlink -f "$found")"
  done
else
  echo "note: man is not installed; man -w not checked"
fi

# --- remove -------------------------------------------------------------------
echo "== dpkg -r"
if dpkg -r "$package" >"$tmp/dpkg.log" 2>&1; then
  installed=0
  rm -f "$marker"
  ok "dpkg -r $package"
else
  cat "$tmp/dpkg.log"
  fail "dpkg -r $package"
fi
dpkg --purge "$package" >/dev/null 2>&1
for f in "$prefix/bin/dbops" "$prefix/bin/dbops-console" "$prefix/share/dbops-console" \
    "$prefix/share/man/man1/dbops.1.gz" "$prefix/share/applications/io.github.dbops.console.desktop"; do
  [ -e "$f" ] && fail "$f is still there after dpkg -r" || ok "removed: $f"
done
status_after=$(installed_status)
case "$status_after" in
  "" | "unknown ok not-installed" | "deinstall ok not-installed") ok "dpkg: $package not installed" ;;
  *) fail "dpkg status after removal: $status_after" ;;
esac

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all packaging checks passed"
