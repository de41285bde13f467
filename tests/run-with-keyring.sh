#!/bin/sh
# run-with-keyring.sh PROGRAM [ARG…]
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test program in a private D-Bus session with a throwaway, unlocked
# gnome-keyring (in a temporary home, so no real keyring is touched), with
# TEXTCAST_TEST_KEYRING=1 so that the keyring tests run. Without
# dbus-run-session or gnome-keyring-daemon the test is skipped (TAP).

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP needs dbus-run-session and gnome-keyring-daemon (apt install dbus gnome-keyring)"
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/tc-keyring-XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
mkdir -m 700 "$dir/run"

HOME=$dir XDG_DATA_HOME=$dir/data XDG_CONFIG_HOME=$dir/config XDG_CACHE_HOME=$dir/cache \
XDG_RUNTIME_DIR=$dir/run TEXTCAST_TEST_KEYRING=1 \
  dbus-run-session -- sh -c '
    # A new login keyring, unlocked with a password nobody needs to type.
    # The daemon runs without the checks meson gives the tests: with
    # G_DEBUG=fatal-warnings gnome-keyring 42 aborts on a warning of its own
    # when an item is replaced.
    printf "%s" textcast-test |
      env -u MALLOC_PERTURB_ -u MALLOC_CHECK_ -u G_DEBUG gnome-keyring-daemon --unlock --components=secrets \
        >/dev/null || exit 1
    exec "$@"' run-with-keyring "$@"
