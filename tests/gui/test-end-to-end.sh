#!/bin/bash
# test-end-to-end.sh: the whole way a newcomer goes, under Xvfb, with
# xdotool as a person would: the first run on an empty workspace → "Try It
# With Sample Data" (300 made-up customers and the ready-made
# cart-abandonment journey, switched on, with shoppers in it) → a CSV file
# imported through the file chooser → an SMS template written → a
# campaign created and sent on the built-in simulator → its report shows
# the deliveries → someone answers, and the answer is replied to from the
# Inbox. Every step waits on what the app says in its log (never on a
# fixed time) and checks the workspace with sqlite3 or textcast-cli; a
# screenshot of each screen is kept (end-to-end-*.png) and checked not to
# be blank (ImageMagick: enough colours and some contrast).
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   TEXTCAST_GUI_FIXTURE  the CSV file to import
#   SCREENSHOT_DIR        where the screenshots go (end-to-end-*.png)

GUI_TEST=end-to-end
GUI_SHOT_PREFIX=end-to-end-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR TEXTCAST_GUI_FIXTURE SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

command -v identify >/dev/null || { echo "SKIP: ImageMagick's identify not found"; exit 77; }

export G_MESSAGES_DEBUG=tc-window,tc-campaign-editor,tc-campaign-view,tc-campaigns-page,tc-inbox-page,tc-send-service,tc-import-dialog

sql () {
  sqlite3 "file:$DB?mode=ro" "$1" 2>/dev/null
}

# checked_shot NAME: a screenshot, checked not to be blank: a real screen
# has many colours and some contrast; an empty or black one has neither.
checked_shot () {
  local file="$SCREENSHOT_DIR/$GUI_SHOT_PREFIX$1.png" colours deviation
  shot "$1"
  colours=$(identify -format '%k' "$file") || fail "cannot read $file"
  deviation=$(identify -format '%[fx:int(standard_deviation*1000)]' "$file") || fail "cannot read $file"
  echo "# $1: $colours colours, deviation $deviation/1000"
  [ "$colours" -ge 64 ] || fail "screenshot $1 looks blank: $colours colours"
  [ "$deviation" -ge 20 ] || fail "screenshot $1 looks blank: deviation $deviation/1000"
}


# wait_sql QUERY VALUE [SECONDS]: waits until QUERY gives VALUE.
wait_sql () {
  local seconds=${3:-30}
  for _ in $(seq $((seconds * 10))); do
    [ "$(sql "$1")" = "$2" ] && return 0
    kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited while waiting for $1 = $2"
    sleep 0.1
  done
  fail "$1 gives “$(sql "$1")”, not “$2”, after ${seconds}s"
}

# post_twilio FROM BODY: a text from FROM, posted to the app's webhook as
# Twilio posts it, signed with the simulator's auth token.
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

cp "$TEXTCAST_GUI_FIXTURE" "$TMP/customers.csv" || fail "cannot copy the fixture"

step "a desktop notification server on the session bus (the answer notifies)"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "SKIP: no session bus (dbus-run-session)"; exit 77; }
/usr/bin/python3 -c 'from gi.repository import Gio' 2>/dev/null ||
  { echo "SKIP: python3-gi is not installed"; exit 77; }
/usr/bin/python3 "$(dirname "$0")/fake-notifications.py" "$TMP/notifications" &
NOTIFY_PID=$!
trap 'kill $NOTIFY_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -s "$TMP/notifications.ready" ] && break; sleep 0.1; done
[ -s "$TMP/notifications.ready" ] || fail "the fake notification server did not start"

step "the first run: an empty workspace welcomes"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
PORT=$(grep -o 'listens on 127.0.0.1:[0-9]*' "$LOG" | head -n 1 | grep -o '[0-9]*$')
[ "$(count_contacts)" = 0 ] || fail "the workspace is not empty"
focus "$MAIN"
checked_shot 01-first-run

step "Alt+S, Try It With Sample Data: 300 customers and a running journey"
xdotool key --clearmodifiers alt+s
wait_log "Sample journey " 60
wait_sql "SELECT count(*) FROM contacts" 300 30
grep -q "Sample journey [0-9]* switched on with 6 shoppers" "$LOG" || fail "the sample journey has no shoppers: $(grep "Sample journey" "$LOG")"
[ "$(sql "SELECT state || ' ' || origin FROM journeys")" = "active cart_abandonment" ] ||
  fail "the sample journey is not the active cart abandonment: $(sql "SELECT id, state, origin FROM journeys")"
[ "$(sql "SELECT count(*) FROM journey_enrollments")" = 6 ] || fail "not 6 shoppers in the journey"
[ "$(sql "SELECT count(*) FROM events WHERE name = 'cart_abandoned' AND source = 'sample'")" = 6 ] ||
  fail "not 6 sample cart_abandoned events"
checked_shot 02-sample-data

step "Ctrl+I: the file chooser; the CSV file typed in; the mapping"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+i
CHOOSER=$(wait_window "Choose a CSV File" 20) || exit 1
focus "$CHOOSER"
xdotool key --clearmodifiers ctrl+l
xdotool type --delay 20 "$TMP/customers.csv"
# The chooser completes what is typed as it goes: a Return that arrives
# while it does only takes the completion, so Return again until it opens.
for _ in 1 2 3 4 5; do
  focus "$CHOOSER" 2>/dev/null
  xdotool key --clearmodifiers Return
  for _ in $(seq 30); do
    [ -z "$(find_window "Choose a CSV File")" ] && break 2
    sleep 0.1
  done
done
wait_gone "Choose a CSV File" 5
DIALOG=$(wait_window "Import Contacts" 30) || exit 1
checked_shot 03-import-mapping

step "Return: imported; the report"
focus "$DIALOG"
xdotool key --clearmodifiers Return
REPORT=$(wait_window "Import Finished" 60) || exit 1
wait_sql "SELECT count(*) FROM contacts" 313 30
[ "$(sql "SELECT first_name || ' ' || last_name FROM contacts WHERE phone = '+6591234567'")" = "Mei Chen" ] ||
  fail "Mei Chen was not imported"
checked_shot 04-import-report
focus "$REPORT"
xdotool key --clearmodifiers Escape
wait_gone "Import Finished" 15

step "Ctrl+2, Ctrl+N: an SMS template, named and saved (Ctrl+S)"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+2
sleep 0.5
xdotool key --clearmodifiers ctrl+n
sleep 1
xdotool type --delay 10 "Hi {{first_name|there}}, autumn is here: 15% off everything this week."
# From the message up to the Name row: Insert Snippet, Insert Variable,
# Language, Purpose, Name.
xdotool key --clearmodifiers shift+Tab shift+Tab shift+Tab shift+Tab shift+Tab ctrl+a
xdotool type --delay 20 "Autumn Sale"
xdotool key --clearmodifiers ctrl+s
wait_sql "SELECT count(*) FROM templates WHERE name = 'Autumn Sale' AND kind = 'sms'" 1 15
checked_shot 05-template

step "Ctrl+3, Ctrl+N: a campaign to everyone with the template"
xdotool key --clearmodifiers alt+Left
sleep 0.3
xdotool key --clearmodifiers ctrl+3
wait_log "Listed 0 campaigns" 15
xdotool key --clearmodifiers ctrl+n
EDITOR=$(wait_window "New Campaign" 15) || exit 1
focus "$EDITOR"
wait_log "Audience: 313 contacts" 15
xdotool type --delay 15 "Autumn Sale"
checked_shot 06-campaign-audience
xdotool key --clearmodifiers alt+Right
sleep 0.5
checked_shot 07-campaign-message
xdotool key --clearmodifiers alt+Right
sleep 0.5
PREFLIGHTS=$(log_count "Pre-flight of campaign ")
xdotool key --clearmodifiers alt+Right
wait_more "Pre-flight of campaign " "$PREFLIGHTS" 30
ID=$(grep -o "Pre-flight of campaign [0-9]*" "$LOG" | tail -n 1 | awk '{print $4}')
TO_SEND=$(grep -o "Pre-flight of campaign $ID: [0-9]* to send" "$LOG" | tail -n 1 | awk '{print $5}')
[ "${TO_SEND:-0}" -ge 1 ] || fail "the pre-flight says nobody would get it"
[ "$(sql "SELECT v.template_name FROM campaign_variants v WHERE v.campaign_id = $ID" 2>/dev/null || true)" = "Autumn Sale" ] ||
  grep -q "Autumn Sale" <<<"$("$TEXTCAST_CLI" --db "$DB" campaign show "$ID" 2>/dev/null)" ||
  fail "campaign $ID does not send the Autumn Sale template: $("$TEXTCAST_CLI" --db "$DB" campaign show "$ID" 2>&1)"
echo "# campaign $ID: $TO_SEND of 313 to send"
checked_shot 08-campaign-preflight

step "Alt+Right, Return: sent on the simulator"
xdotool key --clearmodifiers alt+Right
sleep 0.5
xdotool key --clearmodifiers Return
wait_log "Campaign $ID started: 313 recipients" 30
wait_gone "New Campaign" 30
# Delivery reports come in while the rest goes out (some wait for their
# quiet hours): the simulator's first ones are enough.
delivered () {
  sql "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' AND state IN ('delivered', 'read')"
}
for _ in $(seq 900); do
  [ "$(delivered)" -ge 10 ] && break
  kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
  sleep 0.1
done
[ "$(delivered)" -ge 1 ] || fail "no campaign message was delivered"

step "the report shows the deliveries (it is read again every few seconds)"
SHOWN=0
for _ in $(seq 300); do
  SHOWN=$(grep -o "Report of campaign $ID shows [0-9]* delivered" "$LOG" | tail -n 1 | awk '{print $6}')
  [ "${SHOWN:-0}" -ge 1 ] && break
  kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
  sleep 0.1
done
DELIVERED=$(delivered)
echo "# the report shows ${SHOWN:-0} delivered; the outbox has $DELIVERED: $(sql "SELECT state, count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' GROUP BY state" | tr '\n' ' ')"
[ "${SHOWN:-0}" -ge 1 ] || fail "the report never showed a delivery"
[ "$SHOWN" -le "$DELIVERED" ] || fail "the report shows $SHOWN delivered, more than the outbox's $DELIVERED"
# The next reading shows what the outbox had by then (or more).
BEFORE=$(log_count "Report of campaign $ID shows")
wait_more "Report of campaign $ID shows" "$BEFORE" 20
SHOWN=$(grep -o "Report of campaign $ID shows [0-9]* delivered" "$LOG" | tail -n 1 | awk '{print $6}')
[ "$SHOWN" -ge "$DELIVERED" ] || fail "the report read again shows $SHOWN delivered, the outbox had $DELIVERED before"
checked_shot 09-report

step "a customer who got it answers by SMS; Ctrl+4, the search, Enter: the conversation"
CUSTOMER=$(sql "SELECT c.phone FROM outbox o JOIN contacts c ON c.id = o.contact_id
                WHERE o.origin LIKE 'campaign:$ID:%' AND o.state IN ('delivered', 'read')
                AND c.phone LIKE '+1%' ORDER BY o.id LIMIT 1")
[ -n "$CUSTOMER" ] || fail "no US customer got the campaign"
CUSTOMER_ID=$(sql "SELECT id FROM contacts WHERE phone = '$CUSTOMER'")
post_twilio "$CUSTOMER" "Does the 15% work on boots too?"
wait_sql "SELECT count(*) FROM inbound_messages WHERE contact_id = $CUSTOMER_ID AND body = 'Does the 15% work on boots too?'" 1 20
focus "$MAIN"
OPENED=$(log_count "Listed ")
xdotool key --clearmodifiers ctrl+4
# The Inbox lists its conversations (the search has the focus).
wait_more "Listed " "$OPENED" 15
LISTS=$(log_count "Listed 1 conversations")
xdotool type --delay 30 "boots too"
wait_more "Listed 1 conversations" "$LISTS" 15
xdotool key --clearmodifiers Return
wait_log "Conversation with contact $CUSTOMER_ID:" 15
checked_shot 10-inbox-conversation

step "type the answer, Enter: queued, sent by the window's engine"
xdotool type --delay 20 "Yes, boots too, until Sunday."
xdotool key --clearmodifiers Return
wait_log "Reply queued as outbox message" 15
[ "$(sql "SELECT purpose FROM outbox WHERE origin = 'inbox' AND contact_id = $CUSTOMER_ID")" = transactional ] ||
  fail "the answer is not queued once as a transactional message"
# It goes out after the campaign's messages already queued (the sender's
# rate): give it the time they take.
for _ in $(seq 1800); do
  STATE=$(sql "SELECT state FROM outbox WHERE origin = 'inbox' AND contact_id = $CUSTOMER_ID")
  case "$STATE" in delivered|read|undelivered|failed) break ;; esac
  kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
  sleep 0.1
done
# Sent means the simulator took it and gave it an id. It then reports a
# share of its messages as undelivered or failed (a handset off, a number
# out of service, as carriers do): that one was sent all the same.
PROVIDER_ID=$(sql "SELECT coalesce(provider_id, '') FROM outbox WHERE origin = 'inbox' AND contact_id = $CUSTOMER_ID")
case "$STATE" in
  sent|delivered|read|undelivered|failed) [ -n "$PROVIDER_ID" ] ||
    fail "the answer is $STATE without reaching the simulator: $(sql "SELECT reason FROM outbox WHERE origin = 'inbox' AND contact_id = $CUSTOMER_ID")" ;;
  *) fail "the answer was not sent: “$STATE”" ;;
esac
echo "# the answer is $STATE"
# The thread is read again every few seconds: the tick follows.
BEFORE=$(log_count "Conversation with contact $CUSTOMER_ID:")
wait_more "Conversation with contact $CUSTOMER_ID:" "$BEFORE" 15
checked_shot 11-inbox-replied

step "Ctrl+Q: the app exits cleanly"
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
