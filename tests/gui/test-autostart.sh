#!/bin/bash
# test-autostart.sh: starting at login, outside a Flatpak. `textcast
# --background` starts hidden (no window) with its endpoint listening;
# `textcast` run again shows the window of that same process. In
# Preferences, Alt+G turns "Start at Login" on: the autostart file appears
# in $XDG_CONFIG_HOME/autostart with Exec running this textcast with
# --background; Alt+G again removes it. Closing the window leaves the
# started-at-login app running hidden; Quit from a second start's window
# ends it. (The Flatpak path, the Background portal, is tested by
# tests/gui/test-autostart.c against a fake portal.)
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (autostart-*.png)

GUI_TEST=autostart
GUI_SHOT_PREFIX=autostart-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "SKIP: no session bus (dbus-run-session)"; exit 77; }

export G_MESSAGES_DEBUG=tc-application,tc-autostart,tc-autostart-row,tc-preferences-window,tc-send-service
# The default workspace and the autostart folder, both in the test's folder.
export XDG_DATA_HOME="$TMP/xdg-data"
export XDG_CONFIG_HOME="$TMP/xdg-config"
unset FLATPAK_ID
DB="$XDG_DATA_HOME/textcast/textcast.db"
DESKTOP="$XDG_CONFIG_HOME/autostart/io.github.textcast.Textcast.desktop"
PROGRAM=$(readlink -f "$TEXTCAST")

step "a workspace; textcast --background: no window, the endpoint listens"
mkdir -p "$(dirname "$DB")"
"$TEXTCAST_CLI" --db "$DB" sample --count 10 >/dev/null 2>"$TMP/cli.log" || fail "sample: $(cat "$TMP/cli.log")"
(cd "$TMP" && exec "$TEXTCAST" --background) >"$LOG" 2>&1 &
APP_PID=$!
wait_log "Started hidden: receiving replies and running journeys" 30
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
sleep 1
[ -z "$(find_window Textcast)" ] || fail "a window was shown for --background"
shot 01-hidden

step "textcast --background again: the running one stays hidden"
"$TEXTCAST" --background >"$TMP/second.log" 2>&1 || fail "a second --background failed: $(cat "$TMP/second.log")"
sleep 1
[ -z "$(find_window Textcast)" ] || fail "a second --background showed a window"

step "textcast: the window of the same process"
"$TEXTCAST" >"$TMP/third.log" 2>&1 || fail "textcast failed: $(cat "$TMP/third.log")"
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Shown after running hidden" 10
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
kill -0 "$APP_PID" || fail "the hidden textcast exited"

step "Preferences, Alt+G: Start at Login on; the autostart file appears"
[ -e "$DESKTOP" ] && fail "an autostart file before the test"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+comma
PREFS=$(wait_window "Preferences" 15) || exit 1
sleep 0.5
focus "$PREFS"
xdotool key --clearmodifiers alt+g
wait_log "Starting at login: on" 10
[ -f "$DESKTOP" ] || fail "no autostart file at $DESKTOP"
cat "$DESKTOP"
grep -qx "Exec=$PROGRAM --background" "$DESKTOP" || fail "the Exec line is not “$PROGRAM --background”"
grep -qx "Type=Application" "$DESKTOP" || fail "no Type=Application"
grep -qx "X-GNOME-Autostart-enabled=true" "$DESKTOP" || fail "not enabled for GNOME"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$DESKTOP" || fail "the autostart file is not valid"
fi
# Scroll the row into view for the screenshot.
xdotool key --clearmodifiers Tab shift+Tab
shot 02-on

step "Alt+G again: off; the file is gone"
focus "$PREFS"
xdotool key --clearmodifiers alt+g
wait_log "Starting at login: off" 10
[ -e "$DESKTOP" ] && fail "the autostart file is still there"
shot 03-off

step "close Preferences and the window: started at login, it runs on hidden"
xdotool key --clearmodifiers Escape
wait_gone "Preferences" 10
focus "$MAIN"
xdotool key --clearmodifiers ctrl+w
wait_log "The window closed; running on hidden" 10
sleep 1
kill -0 "$APP_PID" || fail "textcast exited when its window closed"

step "textcast again, Ctrl+Q: it quits"
"$TEXTCAST" >"$TMP/fourth.log" 2>&1 || fail "textcast failed: $(cat "$TMP/fourth.log")"
MAIN=$(wait_window "Textcast" 30) || exit 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 150); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast is still running after Ctrl+Q"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
if grep -E "CRITICAL|WARNING" "$LOG"; then
  fail "warnings in textcast's output"
fi
echo "PASS"
