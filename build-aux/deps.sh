#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Databits Workbench needs to build, run and test on Debian 12.
# Sourced by build-aux/run, build-aux/test, build-aux/bench and build-aux/fuzz; only packages
# that are missing are installed, so a prepared machine does no network work.

dbw_build_packages=(
  meson ninja-build gcc pkg-config
  libglib2.0-dev libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libgtksourceview-5-dev
  libpoppler-glib-dev libgdk-pixbuf-2.0-dev libcairo2-dev
  libcurl4-openssl-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev
  libsoup-3.0-dev
  gettext itstool yelp-tools desktop-file-utils appstream
  librsvg2-common hicolor-icon-theme adwaita-icon-theme fonts-cantarell
)

dbw_test_packages=(
  xvfb xauth libxtst6 dbus dbus-x11 at-spi2-core python3-pyatspi gnome-keyring
  imagemagick sqlite3 poppler-utils
)

# build-aux/fuzz: libFuzzer comes with clang's runtime; llvm has llvm-symbolizer, for
# stack traces with function names.
dbw_fuzz_packages=(
  clang libclang-rt-14-dev llvm
)

dbw_install_missing () {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "Installing: ${missing[*]}" >&2
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}
