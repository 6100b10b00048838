#!/usr/bin/env bash
# Installs the Debian 12 packages Limner needs to build, run and test, if any
# are missing. Sourced by run.sh and test.sh.
set -euo pipefail

LIMNER_DEBS=(
  build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libvips-dev libjansson-dev libsqlite3-dev libcairo2-dev
  desktop-file-utils appstream libxml2-utils
  xvfb xauth dbus
  postgresql libpq-dev
)

limner_missing_debs() {
  local pkg
  for pkg in "${LIMNER_DEBS[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      echo "$pkg"
    fi
  done
}

limner_install_deps() {
  local missing
  missing=$(limner_missing_debs "$@")
  if [ -z "$missing" ]; then
    return 0
  fi
  echo "Installing missing packages:" $missing
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
}
