#!/bin/bash
# test-background.sh: closes the real `textcast` window under Xvfb while
# messages are still going out (a sender limited to one a second), and
# checks that Textcast keeps running without a window, says so in a
# desktop notification with Open and Quit, sends everything, says it has
# finished, and exits by itself.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (background-*.png)

GUI_TEST=background
GUI_SHOT_PREFIX=background-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-send-service,tc-application

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" >>"$TMP/cli.log" 2>&1 || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

sql () {
  sqlite3 "file:$DB?mode=ro" "$1" 2>/dev/null
}

N=20

step "a workspace on the simulator, one sender at one message a second, $N messages queued"
cli sample --count 40
# The sample's journey is paused: with a journey active, closing the window
# keeps Textcast running for it (gui-background-journeys); here it is the
# sending alone that keeps it.
cli journey pause 1
cli providers set simulator
cli senders add --id +15005550006 --type long_code --purpose both --mps 1
for phone in $(sql "SELECT phone FROM contacts ORDER BY id LIMIT $N"); do
  cli consent add --phone "$phone" --channel sms --purpose transactional --source manual \
    --wording "Order updates by text" --confirmed
  cli send --channel sms --purpose transactional --to "$phone" --body "Your order has shipped."
done
[ "$(sql "SELECT count(*) FROM outbox WHERE origin = 'send' AND state = 'queued'")" = "$N" ] ||
  fail "not $N messages queued: $(sql "SELECT state, count(*) FROM outbox GROUP BY state")"

step "a desktop notification server on the session bus"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "SKIP: no session bus (dbus-run-session)"; exit 77; }
/usr/bin/python3 -c 'from gi.repository import Gio' 2>/dev/null ||
  { echo "SKIP: python3-gi is not installed"; exit 77; }
/usr/bin/python3 "$(dirname "$0")/fake-notifications.py" "$TMP/notifications" &
NOTIFY_PID=$!
trap 'kill $NOTIFY_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do [ -s "$TMP/notifications.ready" ] && break; sleep 0.1; done
[ -s "$TMP/notifications.ready" ] || fail "the fake notification server did not start"

step "start textcast; it starts sending"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Sending: 0 sent, 0 failed, $N waiting" 30
for _ in $(seq 100); do
  [ "$(sql "SELECT count(*) FROM outbox WHERE origin = 'send' AND state NOT IN ('queued', 'sending')")" -gt 0 ] && break
  sleep 0.1
done
shot 01-sending

step "Ctrl+W while messages wait: no window, still running, a notification says so"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+w
wait_gone "Textcast" 10
wait_log "running in the background" 10
kill -0 "$APP_PID" 2>/dev/null || fail "textcast quit with messages still to send"
LEFT=$(sql "SELECT count(*) FROM outbox WHERE origin = 'send' AND state IN ('queued', 'sending')")
[ "$LEFT" -gt 0 ] || fail "nothing was left to send when the window closed"
echo "# $LEFT messages still to go"
# (The simulator's own replies to our messages may notify too.)
for _ in $(seq 50); do grep -q "Keeps Sending" "$TMP/notifications" 2>/dev/null && break; sleep 0.1; done
grep "Keeps Sending" "$TMP/notifications" | head -n 1 | /usr/bin/python3 -c '
import json, sys
n = json.load(sys.stdin)
assert n["summary"] == "Textcast Keeps Sending in the Background", n
assert "still to go out" in n["body"] and "Quit" in n["body"], n
assert "Open Textcast" in n["actions"] and "Quit" in n["actions"], n' ||
  fail "not the background notification: $(cat "$TMP/notifications")"
shot 02-background

step "everything goes out; a notification says so and textcast exits by itself"
for _ in $(seq 600); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast still runs after 60 s: $(sql "SELECT state, count(*) FROM outbox GROUP BY state")"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
SENT=$(sql "SELECT count(*) FROM outbox WHERE origin = 'send' AND state IN ('sent', 'delivered', 'undelivered', 'failed')")
[ "$SENT" = "$N" ] || fail "only $SENT of $N messages went out: $(sql "SELECT state, count(*) FROM outbox GROUP BY state")"
grep "Finished Sending" "$TMP/notifications" | tail -n 1 | /usr/bin/python3 -c '
import json, sys
n = json.load(sys.stdin)
assert n["summary"] == "Textcast Has Finished Sending", n' ||
  fail "no notification that sending has finished: $(cat "$TMP/notifications")"
if grep -E "CRITICAL|WARNING" "$LOG"; then
  fail "warnings in textcast's output"
fi
echo "PASS"
