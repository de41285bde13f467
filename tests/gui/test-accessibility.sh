#!/bin/bash
# test-accessibility.sh: runs the real `textcast` under Xvfb with the
# accessibility bus (AT-SPI) on, and checks its accessibility tree with
# tests/gui/a11y-check.py — every control has a role and a name a screen
# reader can say, and can take the keyboard focus — in the main window
# (every section: the pages not on screen are in the tree too), in
# Preferences, in the campaign creator, with a conversation open in the
# Inbox, in the readiness check and in the journey editor's inspector (a
# time-of-day wait, a consent branch). Reaches each of them by keyboard only.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (accessibility-*.png)

GUI_TEST=accessibility
GUI_SHOT_PREFIX=accessibility-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "SKIP: no session bus (dbus-run-session)"; exit 77; }
LAUNCHER=/usr/libexec/at-spi-bus-launcher
[ -x "$LAUNCHER" ] || { echo "SKIP: at-spi2-core is not installed"; exit 77; }
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null || { echo "SKIP: python3-pyatspi is not installed"; exit 77; }

# lib.sh turns the accessibility bridge off for the other tests.
unset NO_AT_BRIDGE GTK_A11Y
export G_MESSAGES_DEBUG=tc-inbox-page,tc-send-service,tc-readiness-page,tc-journey-editor

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" >>"$TMP/cli.log" 2>&1 || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

# check WHAT: the tree as it is now.
check () {
  sleep 1
  /usr/bin/python3 "$(dirname "$0")/a11y-check.py" textcast >"$TMP/a11y.txt" 2>&1
  local status=$?
  echo "# $1: $(head -n 1 "$TMP/a11y.txt")"
  [ "$status" = 0 ] || fail "accessibility problems in $1:
$(cat "$TMP/a11y.txt")"
}

step "the accessibility bus, a sample workspace, someone who wrote"
"$LAUNCHER" --launch-immediately &
LAUNCHER_PID=$!
trap 'kill $LAUNCHER_PID 2>/dev/null; cleanup' EXIT
cli sample --count 40
PHONE=$(sqlite3 "file:$DB?mode=ro" "SELECT phone FROM contacts ORDER BY id LIMIT 1")
cli inbound --channel sms --from "$PHONE" --body "Do you ship to Spain?"

step "the main window, every section"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
check "the main window"
shot 01-main

step "Ctrl+comma: Preferences"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+comma
PREFS=$(wait_window "Preferences" 10) || exit 1
check "Preferences"
shot 02-preferences
focus "$PREFS"
xdotool key --clearmodifiers Escape
wait_gone "Preferences" 10

step "Ctrl+3, Ctrl+N: the campaign creator"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+3
sleep 0.5
xdotool key --clearmodifiers ctrl+n
EDITOR=$(wait_window "New Campaign" 10) || exit 1
check "the campaign creator"
shot 03-creator
focus "$EDITOR"
xdotool key --clearmodifiers Escape
wait_gone "New Campaign" 10

step "Ctrl+4, a search, Enter: a conversation in the Inbox"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+4
wait_log "Listed 1 conversations" 10
xdotool type --delay 30 "spain"
sleep 0.5
xdotool key --clearmodifiers Return
wait_log "Conversation with contact" 10
check "the Inbox"
shot 04-inbox

step "Ctrl+6: the readiness check (its questions, and the findings behind them)"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+6
wait_log "Readiness score " 10
check "the readiness check"
shot 05-readiness

step "Ctrl+5, Down, Return, Tab: a journey in the editor, the inspector on a time-of-day wait, then on a consent branch"
cat >"$TMP/journey.json" <<'EOF'
{ "name": "Accessible", "nodes": [
  { "id": "trigger", "kind": "trigger", "x": 0, "y": 0, "config": { "event": "cart_abandoned" } },
  { "id": "office-hours", "kind": "wait", "x": 272, "y": 0,
    "config": { "until": { "from": "09:00", "to": "17:00", "days": ["mon", "fri"] } } },
  { "id": "agreed", "kind": "branch", "x": 544, "y": 0,
    "config": { "condition": { "consent": "sms", "purpose": "promotional", "status": "opted_in" } } },
  { "id": "done", "kind": "exit", "x": 816, "y": 0 } ],
  "edges": [ { "from": "trigger", "port": "next", "to": "office-hours" },
             { "from": "office-hours", "port": "next", "to": "agreed" },
             { "from": "agreed", "port": "yes", "to": "done" },
             { "from": "agreed", "port": "no", "to": "done" } ] }
EOF
cli journey import "$TMP/journey.json"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+5
# The sample's own cart-abandonment journey comes first; ours is the second row.
wait_log "Listed 2 journeys" 10
sleep 0.5
xdotool key --clearmodifiers Down
sleep 0.3
xdotool key --clearmodifiers Return
wait_log "Opened journey" 10
sleep 0.5
xdotool key --clearmodifiers Tab Tab
wait_log "Inspector shows office-hours" 10
check "the journey editor, a wait until a time of day"
shot 06-journey-wait
xdotool key --clearmodifiers Tab
wait_log "Inspector shows agreed" 10
check "the journey editor, a consent branch"
shot 07-journey-branch

step "Ctrl+Q"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast is still running after Ctrl+Q"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
echo "PASS"
