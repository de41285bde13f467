#!/bin/bash
# test-background-journeys.sh: closes the real `textcast` window under Xvfb
# while a journey is active, and checks that Textcast keeps running
# without a window: a desktop notification explains it the first time
# (with Open and Quit), the journey keeps enrolling contacts whose events
# arrive, "Open" brings the window back, a second close — with the
# journey open and moved, unsaved, so it asks first and is told to discard —
# notifies quietly (low urgency: no banner), and "Quit" stops the journey
# runner cleanly and exits.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (background-journeys-*.png)

GUI_TEST=background-journeys
GUI_SHOT_PREFIX=background-journeys-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-send-service,tc-application,tc-journey-editor

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" 2>>"$TMP/cli.log" || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

sql () {
  sqlite3 "file:$DB?mode=ro" "$1" 2>/dev/null
}

# notification TEXT: the last notification whose summary holds TEXT, as
# the fake server wrote it (one line of JSON), waiting up to 5 s for it.
notification () {
  for _ in $(seq 50); do
    grep -F "$1" "$TMP/notifications" 2>/dev/null | tail -n 1 | grep . && return 0
    sleep 0.1
  done
  fail "no notification “$1”: $(cat "$TMP/notifications" 2>/dev/null)"
}

# press ID ACTION: clicks a notification's button, as the shell would.
press () {
  gdbus call --session --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications \
    --method org.freedesktop.Notifications.InvokeAction "$1" "$2" >/dev/null ||
    fail "could not invoke $2 on notification $1"
}

enrolled () {
  sql "SELECT count(*) FROM journey_enrollments WHERE journey_id = $ID"
}

step "a workspace with the cart-abandonment journey, active"
ID=$(cli journey create --from-template cart_abandonment --json |
     python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
[ -n "$ID" ] || fail "journey create gave no id"
cli journey activate "$ID" >/dev/null

step "a desktop notification server on the session bus"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "SKIP: no session bus (dbus-run-session)"; exit 77; }
/usr/bin/python3 -c 'from gi.repository import Gio' 2>/dev/null ||
  { echo "SKIP: python3-gi is not installed"; exit 77; }
command -v gdbus >/dev/null || { echo "SKIP: gdbus is not installed"; exit 77; }
/usr/bin/python3 "$(dirname "$0")/fake-notifications.py" "$TMP/notifications" &
NOTIFY_PID=$!
trap 'kill $NOTIFY_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do [ -s "$TMP/notifications.ready" ] && break; sleep 0.1; done
[ -s "$TMP/notifications.ready" ] || fail "the fake notification server did not start"

step "start textcast; it runs the journeys"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Running the journeys" 30
shot 01-window

step "Ctrl+W: no window, still running, a notification explains it once"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+w
wait_gone "Textcast" 10
wait_log "active journeys: running in the background (explained)" 10
kill -0 "$APP_PID" 2>/dev/null || fail "textcast quit with a journey active"
FIRST=$(notification "Keeps Running Your Journeys")
echo "$FIRST" | /usr/bin/python3 -c '
import json, sys
n = json.load(sys.stdin)
assert n["summary"] == "Textcast Keeps Running Your Journeys", n
assert "window is closed" in n["body"] and "quit" in n["body"], n
assert n["actions"][n["actions"].index("app.show-window") + 1] == "Open Textcast", n
assert n["actions"][n["actions"].index("app.quit") + 1] == "Quit", n
assert n["urgency"] == 1, n' || fail "not the explaining notification: $FIRST"
FIRST_ID=$(echo "$FIRST" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
shot 02-background

step "in the background, a cart abandoned (textcast-cli events send) enrols the shopper"
cli events send --name cart_abandoned --phone +14155550180 \
  --property cart_url=https://shop.example/cart/1 >/dev/null
for _ in $(seq 300); do
  [ "$(enrolled)" = 1 ] && break
  sleep 0.1
done
[ "$(enrolled)" = 1 ] || fail "no journey ran in the background: $(enrolled) enrollments after 30 s"
kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited in the background"

step "“Open Textcast” on the notification brings the window back"
press "$FIRST_ID" app.show-window
MAIN=$(wait_window "Textcast" 15) || exit 1
shot 03-reopened

step "open the journey (Ctrl+5, Return) and move its first step (Tab, Right): an unsaved change"
cli journey export "$ID" "$TMP/before.json" >/dev/null
focus "$MAIN"
xdotool key --clearmodifiers ctrl+5
wait_log "Listed 1 journeys" 10
sleep 0.5
xdotool key --clearmodifiers Return
wait_log "Opened journey $ID" 15
sleep 0.5
SHOWN=$(log_count "Inspector shows ")
xdotool key --clearmodifiers Tab
wait_more "Inspector shows " "$SHOWN" 10
sleep 0.3
xdotool key --clearmodifiers Right
sleep 0.5

step "Ctrl+W asks first; Discard (Alt+D) closes the window without saving"
: >"$TMP/notifications"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+w
wait_log "Asking before closing: journey $ID has unsaved changes" 10
shot 04-save-changes
xdotool key --clearmodifiers alt+d
wait_log "Closing without saving journey $ID" 10
wait_gone "Textcast" 10
cli journey export "$ID" "$TMP/after.json" >/dev/null
cmp -s "$TMP/before.json" "$TMP/after.json" || fail "closing without saving changed the journey"

step "…and the notification comes quietly this time (low urgency), still with Open and Quit"
wait_log "active journeys: running in the background (quietly)" 10
SECOND=$(notification "Keeps Running Your Journeys")
echo "$SECOND" | /usr/bin/python3 -c '
import json, sys
n = json.load(sys.stdin)
assert n["urgency"] == 0, n
assert "window is closed" not in n["body"], n
assert "app.show-window" in n["actions"] and "app.quit" in n["actions"], n' ||
  fail "not the quiet notification: $SECOND"
SECOND_ID=$(echo "$SECOND" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

step "“Quit” on the notification stops the journey runner and exits cleanly"
press "$SECOND_ID" app.quit
for _ in $(seq 150); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast still runs 15 s after Quit"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
grep -q "Quitting from the background" "$LOG" || fail "Quit did not come from the background"
grep -q "Journeys stopped:" "$LOG" || fail "the journey runner did not stop cleanly"
grep -q "Sending stopped" "$LOG" || fail "sending did not stop cleanly"
# The enrollment is where the runner left it: waiting an hour, untouched by the quit.
[ "$(sql "SELECT state FROM journey_enrollments WHERE journey_id = $ID")" = waiting ] ||
  fail "the enrollment is not waiting: $(sql "SELECT * FROM journey_enrollments")"
if grep -E "CRITICAL|WARNING" "$LOG"; then
  fail "warnings in textcast's output"
fi
echo "PASS"
