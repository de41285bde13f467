#!/bin/bash
# test-provider-problem.sh: messages waiting on a provider problem. SMS go
# through Twilio, pointed (providers set twilio --base-url) at a fake on
# 127.0.0.1 that refuses the credentials as Twilio does (401, error 20003);
# the auth token comes from the environment, so no keyring is touched. A
# queued SMS makes the window's engine stop SMS: the row waits in the queue
# (not failed), the banner names Twilio and says what to do, "Open
# Preferences" (clicked with xdotool) opens Preferences on the Providers
# page with the same words at the top, and "Try Again" asks Twilio again.
# The banner is checked with the window's debug output and screenshots.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (problem-*.png)

GUI_TEST=problem
GUI_SHOT_PREFIX=problem-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

SID=AC0123456789abcdef0123456789abcdef
FROM=+14155550100
PHONE=+14155550199
export TEXTCAST_TWILIO_AUTH_TOKEN=gui-test-wrong-token
export G_MESSAGES_DEBUG=tc-window,tc-send-service,tc-toasts,tc-preferences-window

FAKE_PID=
stop_fake () {
  if [ -n "$FAKE_PID" ] && kill -0 "$FAKE_PID" 2>/dev/null; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
  fi
  cleanup
}
trap stop_fake EXIT

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" >>"$TMP/cli.log" 2>&1 || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

# n_requests: how many messages the fake Twilio was asked to send.
n_requests () {
  grep -c "^POST /2010-04-01/Accounts/$SID/Messages.json" "$TMP/requests" 2>/dev/null || true
}

step "a fake Twilio on 127.0.0.1 that refuses the credentials"
python3 "$(dirname "$0")/fake-twilio.py" "$TMP" &
FAKE_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || fail "the fake Twilio did not start"
PORT=$(cat "$TMP/port")

step "SMS through Twilio (at the fake), one order update queued"
cli providers set twilio --account-sid "$SID" --from "$FROM" --base-url "http://127.0.0.1:$PORT"
cli consent add --phone "$PHONE" --channel sms --purpose transactional --source checkout \
  --wording "Text me about my orders"
cli send --channel sms --purpose transactional --to "$PHONE" --body "Your order #4521 has shipped"
[ "$(outbox_count queued)" = 1 ] || fail "the message was not queued"

step "start textcast: Twilio refuses, the banner says so"
"$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Banner shown: SMS messages are waiting on Twilio: Twilio did not accept the Account SID and auth token" 30
[ "$(n_requests)" -ge 1 ] || fail "the fake Twilio was never asked to send"
grep -q "Sending problem: " "$LOG" || fail "no problem reported by the send service"
# The message waits for the fix: back in the queue, not failed.
sleep 0.5
[ "$(outbox_count queued)" = 1 ] ||
  fail "the row is not waiting: $(sqlite3 "file:$DB?mode=ro" 'SELECT state, reason FROM outbox')"
[ "$(outbox_count failed)" = 0 ] || fail "the row failed"
# The auth token is nowhere in the output or the workspace.
if grep -q "$TEXTCAST_TWILIO_AUTH_TOKEN" "$LOG" || sqlite3 "file:$DB?mode=ro" .dump | grep -q "$TEXTCAST_TWILIO_AUTH_TOKEN"; then
  fail "the auth token leaked"
fi
# Stopped: no more requests while the banner shows.
N_BEFORE=$(n_requests)
wait_log "Banner button Open Preferences at " 10
shot 01-banner
sleep 1.5
[ "$(n_requests)" = "$N_BEFORE" ] || fail "Twilio was asked again while SMS were stopped"

step "click Open Preferences: Preferences on the Providers page"
XY=$(grep -o "Banner button Open Preferences at [0-9]*,[0-9]*" "$LOG" | tail -n 1 | sed 's/.* at //')
focus "$MAIN"
xdotool mousemove --window "$MAIN" "${XY%,*}" "${XY#*,}" click 1
PREFS=$(wait_window "Preferences" 10) || exit 1
wait_log "Preferences shown on the Providers page" 10
shot 02-preferences

step "Escape, then Try Again (Alt+R): Twilio is asked again, and refuses again"
focus "$PREFS"
xdotool key --clearmodifiers Escape
wait_gone "Preferences" 10
focus "$MAIN"
xdotool key --clearmodifiers alt+r
wait_log "Trying to send again" 10
for _ in $(seq 100); do
  [ "$(n_requests)" -gt "$N_BEFORE" ] && break
  sleep 0.1
done
[ "$(n_requests)" -gt "$N_BEFORE" ] || fail "Try Again did not send again"
for _ in $(seq 100); do
  [ "$(grep -c 'Banner shown: SMS messages are waiting on Twilio' "$LOG")" -ge 2 ] && break
  sleep 0.1
done
[ "$(grep -c 'Banner shown: SMS messages are waiting on Twilio' "$LOG")" -ge 2 ] ||
  fail "the banner did not come back while Twilio still refuses"
[ "$(outbox_count queued)" = 1 ] || fail "the row is no longer waiting"
shot 03-again

kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
echo "# ok"
