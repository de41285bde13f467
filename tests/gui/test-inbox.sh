#!/bin/bash
# test-inbox.sh: drives the real `textcast` under Xvfb with xdotool through
# the Inbox: two people wrote (one by SMS, one by WhatsApp), Ctrl+4 lists
# their conversations with unread counts; a search finds one, Enter opens
# it (and marks it read); a typed answer goes through the gate into the
# outbox and the window's engine sends it through the simulator; then a
# new message posted to the app's own webhook (signed as Twilio signs)
# shows up in the open thread, and one from the other person gives a
# desktop notification. A screenshot at each step.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (inbox-*.png)

GUI_TEST=inbox
GUI_SHOT_PREFIX=inbox-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-inbox-page,tc-send-service,tc-application

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" 2>>"$TMP/cli.log" || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

json_get () {
  python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

sql () {
  sqlite3 "file:$DB?mode=ro" "$1" 2>/dev/null
}

# post_twilio FROM BODY: a message from FROM, posted to the app's webhook
# as Twilio posts it, signed with the simulator's auth token.
post_twilio () {
  python3 - "$PORT" "$1" "$2" <<'PY' || fail "the webhook refused the message"
import base64, hashlib, hmac, sys, urllib.parse, urllib.request, uuid
port, sender, body = sys.argv[1], sys.argv[2], sys.argv[3]
url = "http://127.0.0.1:%s/webhooks/twilio" % port
params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
          "From": sender, "To": "+15005550006", "Body": body, "NumMedia": "0"}
signed = url + "".join(k + params[k] for k in sorted(params))
signature = base64.b64encode(hmac.new(b"simulator-auth-token", signed.encode(), hashlib.sha1).digest())
request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(),
                                 headers={"X-Twilio-Signature": signature.decode(),
                                          "Content-Type": "application/x-www-form-urlencoded"})
with urllib.request.urlopen(request, timeout=10) as response:
    sys.exit(0 if response.status // 100 == 2 else 1)
PY
}

step "a sample workspace on the simulator; two people wrote"
cli sample --count 40 >/dev/null
cli providers set simulator >/dev/null
# Two people with SMS marketing consent and no messages yet.
read -r ANA BEN <<<"$(sql "SELECT c.phone FROM contacts c JOIN consent_state s ON s.contact_id = c.id
                          WHERE s.channel = 'sms' AND s.purpose = 'promotional' AND s.status = 'opted_in'
                          AND c.phone LIKE '+1%' ORDER BY c.id LIMIT 2" | tr '\n' ' ')"
[ -n "$ANA" ] && [ -n "$BEN" ] || fail "the sample has no two US contacts with SMS consent"
ANA_ID=$(sql "SELECT id FROM contacts WHERE phone = '$ANA'")
BEN_ID=$(sql "SELECT id FROM contacts WHERE phone = '$BEN'")
cli inbound --channel sms --from "$ANA" --body "Hi! Do you ship to Spain? Order 1043" >/dev/null
cli inbound --channel whatsapp --from "$BEN" --body "Is the blue jacket back in size M?" >/dev/null
echo "# $ANA (#$ANA_ID) by SMS, $BEN (#$BEN_ID) by WhatsApp"

step "a desktop notification server on the session bus (writes what it is given)"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "SKIP: no session bus (dbus-run-session)"; exit 77; }
/usr/bin/python3 -c 'from gi.repository import Gio' 2>/dev/null ||
  { echo "SKIP: python3-gi is not installed"; exit 77; }
/usr/bin/python3 "$(dirname "$0")/fake-notifications.py" "$TMP/notifications" &
NOTIFY_PID=$!
trap 'kill $NOTIFY_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 50); do [ -s "$TMP/notifications.ready" ] && break; sleep 0.1; done
[ -s "$TMP/notifications.ready" ] || fail "the fake notification server did not start"

step "start textcast; Ctrl+4: the Inbox with two unread conversations"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
PORT=$(grep -o 'listens on 127.0.0.1:[0-9]*' "$LOG" | head -n 1 | grep -o '[0-9]*$')
sleep 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+4
wait_log "Listed 2 conversations" 10
shot 01-list
[ "$(sql "SELECT count(*) FROM inbound_messages WHERE read_at IS NULL")" = 2 ] || fail "not two unread messages"

step "type “spain”, Enter: Ana's conversation opens and is read"
xdotool type --delay 30 "spain"
wait_log "Listed 1 conversations" 10
xdotool key --clearmodifiers Return
wait_log "Conversation with contact $ANA_ID: 1 messages" 10
for _ in $(seq 50); do
  [ "$(sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $ANA_ID AND read_at IS NULL")" = 0 ] && break
  sleep 0.1
done
[ "$(sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $ANA_ID AND read_at IS NULL")" = 0 ] ||
  fail "opening the conversation did not mark it read"
[ "$(sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $BEN_ID AND read_at IS NULL")" = 1 ] ||
  fail "Ben's message was marked read too"
shot 02-thread

step "type an answer, Enter: queued through the gate, sent by the window's engine"
xdotool type --delay 20 "Yes! Spain in 3-5 days, free over 50 EUR."
xdotool key --clearmodifiers Return
wait_log "Reply queued as outbox message" 10
[ "$(sql "SELECT count(*) FROM outbox WHERE origin = 'inbox' AND contact_id = $ANA_ID")" = 1 ] ||
  fail "the answer is not in the outbox once"
for _ in $(seq 150); do
  STATE=$(sql "SELECT state FROM outbox WHERE origin = 'inbox'")
  case "$STATE" in sent|delivered|read) break ;; esac
  sleep 0.1
done
case "$STATE" in sent|delivered|read) ;; *) fail "the answer was not sent: $STATE" ;; esac
[ "$(sql "SELECT purpose FROM outbox WHERE origin = 'inbox'")" = transactional ] || fail "the answer is not transactional"
echo "# the answer is $STATE"
# The thread is read again every few seconds: the tick follows the state.
sleep 6
shot 03-answered

step "Ana writes again (webhook): the open thread shows it at once, no notification"
# (The simulator may answer our message with a reply of its own meanwhile:
# the counts below do not assume it does not.)
BEFORE=$(grep -c "Conversation with contact $ANA_ID:" "$LOG")
NOTIFIED=$(grep -c "Notified: " "$LOG")
post_twilio "$ANA" "Perfect, ordering now"
wait_log "received from contact $ANA_ID (message)" 10
for _ in $(seq 100); do
  [ "$(grep -c "Conversation with contact $ANA_ID:" "$LOG")" -gt "$BEFORE" ] &&
    [ "$(sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $ANA_ID AND body = 'Perfect, ordering now'")" = 1 ] &&
    break
  sleep 0.1
done
[ "$(grep -c "Conversation with contact $ANA_ID:" "$LOG")" -gt "$BEFORE" ] || fail "the open thread was not read again"
shot 04-incoming
[ "$(grep -c "Notified: " "$LOG")" = "$NOTIFIED" ] || fail "a notification for the conversation being read"

step "Ben writes again while Ana's is open: a desktop notification, his unread count"
post_twilio "$BEN" "Also, do you have it in red?"
wait_log "received from contact $BEN_ID (message)" 10
wait_log "Notified: New message from " 10
for _ in $(seq 50); do [ -s "$TMP/notifications" ] && break; sleep 0.1; done
NOTE=$(grep "Also, do you have it in red" "$TMP/notifications" | tail -n 1)
echo "# notification: $NOTE"
echo "$NOTE" | /usr/bin/python3 -c '
import json, sys
n = json.load(sys.stdin)
assert n["summary"].startswith("New message from "), n
assert n["body"] == "Also, do you have it in red?", n
assert "Reply" in n["actions"], n' || fail "the notification is not the one expected: $NOTE"
grep -q "Also, do you have it in red" "$TMP/notifications" || fail "no notification for Ben: $(cat "$TMP/notifications")"
for _ in $(seq 100); do
  [ "$(sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $BEN_ID AND read_at IS NULL")" = 2 ] && break
  sleep 0.1
done
[ "$(sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $BEN_ID AND read_at IS NULL")" = 2 ] ||
  fail "Ben's new message is not unread"
shot 05-notified

step "Ctrl+Q: the app exits cleanly"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast is still running after Ctrl+Q"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
if grep -E "CRITICAL|WARNING" "$LOG"; then
  fail "warnings in textcast's output"
fi
echo "PASS"
