#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and the demo need.
# Idempotent: packages already present are skipped by apt-get itself.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
  # Qt 6 flavor (the product)
  qt6-base-dev qt6-base-dev-tools libqt6sql6-psql qt6-svg-dev libgl-dev qtkeychain-qt6-dev
  # Qt 5 flavor
  qtbase5-dev qtbase5-dev-tools libqt5sql5-psql libqt5svg5-dev libkf5syntaxhighlighting-dev qt5keychain-dev
  # PostgreSQL: parser, client library, a server for the tests
  libpg-query-dev libprotobuf-c-dev libpq-dev postgresql postgresql-client
  # Alembic interoperability tests
  alembic python3-sqlalchemy python3-psycopg2
  # offscreen / Xvfb screenshots, packaging checks
  xvfb xauth appstream desktop-file-utils file dpkg-dev man-db libxml2-utils
  # test scripts
  jq binutils
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# squawk (the PostgreSQL migration linter) is a test-only reference for
# `dbops lint` (tests/lint/compare_squawk.sh), never a runtime dependency.  It
# comes from npm where npm is available, pinned: docs/lint.md lists the
# differences per version.  Without it cli.lint_vs_squawk is skipped.
SQUAWK_VERSION=2.66.0
if command -v npm >/dev/null 2>&1; then
  if [ "$(squawk --version 2>/dev/null | awk '{print $2}')" != "$SQUAWK_VERSION" ]; then
    $SUDO npm install -g --silent "squawk-cli@$SQUAWK_VERSION" >/dev/null 2>&1 \
      && echo "install-deps: squawk-cli $SQUAWK_VERSION installed (test reference)" \
      || echo "install-deps: squawk-cli not installed; cli.lint_vs_squawk will be skipped"
  fi
else
  echo "install-deps: no npm; cli.lint_vs_squawk will be skipped"
fi
