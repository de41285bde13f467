#!/bin/bash
# test-campaigns.sh: drives the real `textcast` under Xvfb with xdotool
# through the Campaigns section (Ctrl+3): the empty state, New Campaign
# (Ctrl+N) through every step of the creator — a name, every contact, an
# A/B test of two SMS templates, now, the pre-flight — and Send; then waits
# until the simulator's delivery reports are in the database, checks that
# the campaign's rows are the ones queued through the window (one per
# recipient, both variants) and that the report on screen is the one the
# CLI reads, and takes a screenshot at each step.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (campaigns-*.png)

GUI_TEST=campaigns
GUI_SHOT_PREFIX=campaigns-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-campaign-editor,tc-campaign-view,tc-campaigns-page,tc-send-service

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" >>"$TMP/cli.log" 2>&1 || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

template () {
  echo "$2" | "$TEXTCAST_CLI" --db "$DB" templates save --name "$1" --kind sms --purpose promotional \
    >>"$TMP/cli.log" 2>&1 || fail "templates save $1 failed: $(tail -n 3 "$TMP/cli.log")"
}

sql () {
  sqlite3 "file:$DB?mode=ro" "$1" 2>/dev/null
}

# report FIELD: a figure of the campaign's report, as the CLI reads it.
report () {
  "$TEXTCAST_CLI" --db "$DB" campaign report "$ID" --json 2>>"$TMP/cli.log" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

step "a sample workspace on the simulator with two promotional SMS templates"
cli sample --count 60
cli providers set simulator
template spring-20 "Hi {{first_name|there}}, our spring sale starts today: 20% off everything."
template spring-ship "Hi {{first_name|there}}, spring is here: free shipping on every order this week."

step "start textcast, Ctrl+3: the Campaigns section, empty"
# From the temporary folder: the file chooser opens there.
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
# The whole screen: room for the report's charts.
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
sleep 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+3
wait_log "Listed 0 campaigns" 10
shot 01-empty

step "Ctrl+N: the creator; a name, every contact (counted live)"
xdotool key --clearmodifiers ctrl+n
EDITOR=$(wait_window "New Campaign" 10) || exit 1
focus "$EDITOR"
wait_log "Audience: 60 contacts" 10
xdotool type --delay 15 "Spring Sale"
shot 02-audience

step "Alt+Right: the message; Alt+V adds variant B (the other template, shares 50/50)"
xdotool key --clearmodifiers alt+Right
sleep 0.5
xdotool key --clearmodifiers alt+v
sleep 0.5
shot 03-message


step "Alt+Right: the schedule (now)"
xdotool key --clearmodifiers alt+Right
shot 04-schedule

step "Alt+Right: saved as a draft and checked"
xdotool key --clearmodifiers alt+Right
wait_log "Pre-flight of campaign " 30
ID=$(grep -o "Pre-flight of campaign [0-9]*" "$LOG" | tail -n 1 | awk '{print $4}')
[ "$(sql "SELECT state FROM campaigns WHERE id = $ID")" = "draft" ] ||
  fail "campaign $ID is not a saved draft: $(sql "SELECT id, state FROM campaigns")"
[ "$(sql "SELECT name FROM campaigns WHERE id = $ID")" = "Spring Sale" ] ||
  fail "campaign $ID is named “$(sql "SELECT name FROM campaigns WHERE id = $ID")”"
TO_SEND=$(grep -o "Pre-flight of campaign $ID: [0-9]* to send" "$LOG" | tail -n 1 | awk '{print $5}')
[ "${TO_SEND:-0}" -ge 1 ] || fail "the pre-flight says nobody would get it"
echo "# pre-flight: $TO_SEND of 60 would get it"
shot 05-preflight

step "Alt+Right, Return: Send; everyone queued in batches, the report opens"
xdotool key --clearmodifiers alt+Right
sleep 0.5
shot 06-send
xdotool key --clearmodifiers Return
wait_log "Campaign $ID started: 60 recipients" 20
wait_log "Campaign $ID: queued " 30
wait_gone "New Campaign" 20
QUEUED=$(sql "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%'")
[ "$QUEUED" = 60 ] || fail "expected a row per recipient (60), the outbox has $QUEUED"
[ "$(sql "SELECT count(DISTINCT origin) FROM outbox WHERE origin LIKE 'campaign:$ID:%'")" = 2 ] ||
  fail "expected rows for variants A and B: $(sql "SELECT origin, count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' GROUP BY origin")"
# Those the pre-flight would send are the rows neither skipped nor deferred.
[ "$(sql "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' AND state NOT IN ('skipped', 'deferred')")" = "$TO_SEND" ] ||
  fail "the rows do not match the pre-flight ($TO_SEND to send): $(sql "SELECT state, count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' GROUP BY state" | tr '\n' ' ')"

step "the window's engine sends them: wait for the simulator's delivery reports"
for _ in $(seq 600); do
  [ "$(sql "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' AND state IN ('queued', 'sending', 'sent')")" = 0 ] && break
  kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
  sleep 0.1
done
DELIVERED=$(sql "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' AND state IN ('delivered', 'read')")
echo "# $DELIVERED delivered: $(sql "SELECT state, count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' GROUP BY state" | tr '\n' ' ')"
[ "$DELIVERED" -ge 1 ] || fail "no campaign message was delivered"

step "the report (read again every few seconds) marks it sent once no row waits"
# Rows deferred by the recipients' quiet hours (it depends on the time of
# day the test runs) keep the campaign sending until they go.
DEFERRED=$(sql "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' AND state = 'deferred'")
EXPECTED=sent
[ "$DEFERRED" = 0 ] || EXPECTED=sending
for _ in $(seq 200); do
  [ "$(sql "SELECT state FROM campaigns WHERE id = $ID")" = "$EXPECTED" ] && break
  sleep 0.1
done
[ "$(sql "SELECT state FROM campaigns WHERE id = $ID")" = "$EXPECTED" ] ||
  fail "campaign $ID is “$(sql "SELECT state FROM campaigns WHERE id = $ID")”, expected $EXPECTED ($DEFERRED deferred)"
[ "$(report delivered)" = "$DELIVERED" ] || fail "the report says $(report delivered) delivered, the outbox $DELIVERED"
sleep 4
shot 07-report
# The charts, further down.
xdotool mousemove 760 500 click --repeat 6 --delay 60 5
shot 08-charts
xdotool mousemove 760 500 click --repeat 12 --delay 60 5
shot 09-charts

step "Ctrl+S: the report exported as CSV through the file chooser"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+s
wait_log "Export asked for campaign $ID" 10
CHOOSER=$(wait_window "Export the Campaign Report" 15) || exit 1
focus "$CHOOSER"
shot 10-export
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 10 "$TMP/spring.csv"
xdotool key --clearmodifiers Return
wait_log "Exported the report of campaign $ID as CSV" 15
head -n 1 "$TMP/spring.csv" | grep -q "^group,audience,intended,sent,delivered," || fail "the CSV has no header: $(head -n 2 "$TMP/spring.csv")"
TOTAL=$(grep "^total," "$TMP/spring.csv") || fail "the CSV has no total line"
[ "$(echo "$TOTAL" | cut -d, -f2)" = 60 ] || fail "the CSV's audience is not 60: $TOTAL"
[ "$(echo "$TOTAL" | cut -d, -f5)" = "$(report delivered)" ] || fail "the CSV's delivered figure differs from the report: $TOTAL"
grep -q "^A," "$TMP/spring.csv" && grep -q "^B," "$TMP/spring.csv" || fail "the CSV has no line per variant: $(cat "$TMP/spring.csv")"
echo "# CSV: $TOTAL"

step "Alt+Left: the list with the campaign, its pill and figures"
focus "$MAIN"
xdotool key --clearmodifiers alt+Left
wait_log "Listed 1 campaigns" 10
shot 11-list

step "a draft made with the CLI opens in the creator, filled in (Ctrl+3, Return)"
cli campaign create --name "Weekend Flash" --channel sms --purpose promotional \
  --template spring-ship,spring-20 --split 70,30 --all --holdout 10
xdotool key --clearmodifiers ctrl+3
wait_log "Listed 2 campaigns" 10
sleep 0.5
xdotool key --clearmodifiers Return
EDITOR=$(wait_window "Edit Campaign" 10) || exit 1
focus "$EDITOR"
xdotool key --clearmodifiers alt+Right
sleep 0.5
shot 12-draft-message

step "test first on 20 % (Alt+T), then Next, Next: the same draft is saved again"
DRAFT=$(sql "SELECT id FROM campaigns WHERE name = 'Weekend Flash'")
xdotool key --clearmodifiers alt+t ctrl+a
xdotool type --delay 20 "20"
xdotool key --clearmodifiers Tab
shot 13-draft-test
xdotool key --clearmodifiers alt+Right
sleep 0.5
xdotool key --clearmodifiers alt+Right
for _ in $(seq 100); do
  [ "$(sql "SELECT test_percent FROM campaigns WHERE id = $DRAFT")" = "20.0" ] && break
  sleep 0.1
done
NEW=$(sql "SELECT id FROM campaigns WHERE name = 'Weekend Flash'")
[ "$(sql "SELECT count(*) FROM campaigns WHERE name = 'Weekend Flash'")" = 1 ] ||
  fail "the edited draft was saved as another campaign: $(sql "SELECT id, name, state FROM campaigns")"
[ "$NEW" = "$DRAFT" ] || fail "the draft got another id ($DRAFT, then $NEW)"
[ "$(sql "SELECT test_percent || ' ' || winner_metric || ' ' || winner_after_hours FROM campaigns WHERE id = $NEW")" = "20.0 clicks 4" ] ||
  fail "the test portion was not saved: $(sql "SELECT test_percent, winner_metric, winner_after_hours FROM campaigns WHERE id = $NEW")"
[ "$(sql "SELECT holdout_percent FROM campaigns WHERE id = $NEW")" = 10.0 ] || fail "the holdout was lost"
shot 14-draft-preflight
xdotool key --clearmodifiers Escape
wait_gone "Edit Campaign" 10

step "Ctrl+Q: the app exits cleanly"
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
echo "PASS"
