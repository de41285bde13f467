#!/bin/bash
# test-sending.sh: the window sends. Messages queued with `textcast-cli send`
# (without --wait, so nothing sends them yet) in a workspace that uses the
# built-in simulator go out once `textcast` opens it: its engine hands them
# to the simulator in the same process, whose delivery reports come back to
# the window's HTTP endpoint. Checks the outbox with sqlite3 until every
# row has its final state (the simulator fails a few, as carriers do),
# the "Sending N of M…" line under the sections while
# they go, and that closing the window with Ctrl+Q leaves no row in
# "sending". Then the endpoint's port taken by another program: a banner
# says so in plain words, and Try Again recovers once the port is free.
# Tracked links are served throughout, with no short-link domain set and
# while the providers cannot be built (Twilio with no number to send from:
# a banner too).
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (sending-*.png)

GUI_TEST=sending
GUI_SHOT_PREFIX=sending-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

# The simulator's number is an unregistered long code: one message a
# second, slow enough to see the progress line.
N=8
export G_MESSAGES_DEBUG=tc-window,tc-send-service

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" >>"$TMP/cli.log" 2>&1 || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

step "a workspace with the simulator and $N order updates queued"
cli providers set simulator
for i in $(seq $N); do
  phone=$(printf '+1415555%04d' $((200 + i)))
  cli consent add --phone "$phone" --channel sms --purpose transactional --source checkout \
    --wording "Text me about my orders"
  cli send --channel sms --purpose transactional --to "$phone" --body "Your order #10$i has shipped"
done
[ "$(outbox_count queued)" = "$N" ] || fail "expected $N queued rows, the outbox has: $(sqlite3 "file:$DB?mode=ro" 'SELECT state, count(*) FROM outbox GROUP BY state')"
# Nothing is sending them yet.
sleep 1
[ "$(outbox_count queued)" = "$N" ] || fail "rows left the queue before the window opened"

# A tracked link, with no short-link domain set: the endpoint serves the
# redirects all the same.
CODE=$(echo "Sale: https://shop.example/sale" |
  "$TEXTCAST_CLI" --db "$DB" links shorten --domain go.shop.example 2>>"$TMP/cli.log" |
  grep -o "/l/[A-Za-z0-9]*" | sed 's|/l/||')
[ -n "$CODE" ] || fail "links shorten gave no code: $(tail -n 3 "$TMP/cli.log")"

# expect_redirect PORT: /l/CODE on 127.0.0.1:PORT redirects to the sale.
expect_redirect () {
  python3 - "$1" "$CODE" <<'PY' || fail "no redirect for /l/$CODE on port $1"
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
conn.request("GET", "/l/" + sys.argv[2])
answer = conn.getresponse()
location = answer.getheader("Location")
if answer.status not in (301, 302, 303, 307) or location != "https://shop.example/sale":
    raise SystemExit("got %d, Location %r" % (answer.status, location))
print("# /l/%s redirects to %s" % (sys.argv[2], location))
PY
}

step "start textcast: its engine sends them"
"$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 20
wait_log "Sending line: Sending " 20
shot 01-sending
expect_redirect "$(grep -o "the HTTP endpoint listens on 127.0.0.1:[0-9]*" "$LOG" | tail -n 1 | sed 's/.*://')"

step "every row gets the simulator's last word (its reports reached the window's endpoint)"
# The simulator makes a few deliveries fail, as carriers do: every row ends
# delivered, undelivered or failed. (It also plays people who answer: the
# replies Textcast queues are rows after ours.)
final () {
  sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE id <= $N AND state IN ('delivered', 'undelivered', 'failed')"
}
for _ in $(seq 600); do
  [ "$(final)" = "$N" ] && break
  kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
  sleep 0.1
done
[ "$(final)" = "$N" ] ||
  fail "not all answered after 60s: $(sqlite3 "file:$DB?mode=ro" 'SELECT state, count(*) FROM outbox GROUP BY state')"
DELIVERED=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE id <= $N AND state = 'delivered'")
echo "# $DELIVERED of $N delivered: $(sqlite3 "file:$DB?mode=ro" 'SELECT state, count(*) FROM outbox GROUP BY state' | tr '\n' ' ')"
[ "$DELIVERED" -ge 1 ] || fail "none delivered"
# Every delivered row has the simulator's message id and its sender.
[ "$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE id <= $N AND state = 'delivered' AND provider_id LIKE 'SM%' AND sender_id != ''")" = "$DELIVERED" ] ||
  fail "delivered rows without a provider id or sender"
wait_log "Sending line: (hidden)" 10
if grep -q "Banner shown" "$LOG"; then
  fail "a problem banner was shown: $(grep 'Banner shown' "$LOG")"
fi
shot 02-delivered

step "Ctrl+Q: the app stops sending cleanly and exits"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 100); do
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast did not exit after Ctrl+Q"
wait "$APP_PID"
status=$?
APP_PID=
[ "$status" = 0 ] || fail "textcast exited with status $status"
grep -q "Sending stopped" "$LOG" || fail "sending was not stopped before the app exited"
[ "$(outbox_count sending)" = 0 ] || fail "rows left in “sending”"

step "Twilio chosen for SMS with no number to send from: the banner says so, links still work"
export TEXTCAST_TWILIO_AUTH_TOKEN=gui-test-token
cli settings set provider.sms twilio
cli settings set twilio.account_sid AC0123456789abcdef0123456789abcdef
: >"$LOG"
"$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Banner shown: Messages are not being sent: Twilio needs a number to send from" 20
wait_log "Tracked links served on 127.0.0.1:" 10
expect_redirect "$(grep -o "Tracked links served on 127.0.0.1:[0-9]*" "$LOG" | tail -n 1 | sed 's/.*://')"
shot 03-not-configured
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 100); do
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast did not exit after Ctrl+Q"
APP_PID=
cli providers set simulator

step "the endpoint's port taken by another program: the banner says so, Try Again recovers"
python3 - "$TMP" <<'PY' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
with open(os.path.join(sys.argv[1], "busy.tmp"), "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(os.path.join(sys.argv[1], "busy.tmp"), os.path.join(sys.argv[1], "busy"))
while not os.path.exists(os.path.join(sys.argv[1], "free")):
    time.sleep(0.05)
PY
BLOCKER_PID=$!
for _ in $(seq 50); do [ -s "$TMP/busy" ] && break; sleep 0.1; done
[ -s "$TMP/busy" ] || fail "could not take a port"
BUSY=$(cat "$TMP/busy")
: >"$LOG"
TEXTCAST_HTTP_PORT=$BUSY "$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Banner shown: Port $BUSY (from TEXTCAST_HTTP_PORT) is used by another program" 20
shot 04-port-in-use
touch "$TMP/free"
wait "$BLOCKER_PID"
focus "$MAIN"
xdotool key --clearmodifiers alt+r
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:$BUSY" 20
wait_log "Banner hidden" 10
wait_log "Sending works again" 10
shot 05-port-free
echo "# ok"
