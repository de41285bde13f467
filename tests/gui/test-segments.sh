#!/bin/bash
# test-segments.sh: drives the real `textcast` under Xvfb with xdotool
# through the segment builder: Contacts → Segments → New Segment…, a name,
# "Country is one of US, CA" and "has tag newsletter" (the sample
# workspace's), the live count; Save; then checks with textcast-cli that
# the saved rule is that one and counts what the window showed, opens the
# saved segment again from the Segments menu (its rows come back), and
# takes a screenshot at each step.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (segments-*.png)

GUI_TEST=segments
GUI_SHOT_PREFIX=segments-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-segment-builder,tc-contacts-page

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" 2>>"$TMP/cli.log" || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

# json_get EXPR: evaluates EXPR (Python, over `d`) on the JSON read from stdin.
json_get () {
  python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

# last_count: the last count the builder logged.
last_count () {
  grep -o 'Segment count: [0-9]*' "$LOG" | tail -n 1 | grep -o '[0-9]*$'
}

# wait_count N: waits until the builder's last count is N.
wait_count () {
  for _ in $(seq 100); do
    [ "$(last_count)" = "$1" ] && return 0
    sleep 0.1
  done
  fail "the builder never counted $1 (last: $(last_count))"
}

RULE='{"all":[{"field":"country","op":"in","value":["US","CA"]},{"tag":"newsletter"}]}'

step "a sample workspace; what the rule should count"
cli sample --count 60 >/dev/null
EVERYONE=$(cli segments count --rule '{"all":[]}' --json | json_get 'd["count"]')
EXPECTED=$(cli segments count --rule "$RULE" --json | json_get 'd["count"]')
echo "# everyone: $EVERYONE, expected: $EXPECTED"
[ "$EXPECTED" -gt 0 ] && [ "$EXPECTED" -lt "$EVERYONE" ] || fail "the sample gives the rule $EXPECTED of $EVERYONE contacts"

step "start textcast on Contacts"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
sleep 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+1
sleep 0.5

step "Segments → New Segment…: the builder, one incomplete condition"
xdotool key --clearmodifiers alt+s
wait_log "Listed 0 saved segments" 10
shot 01-menu
# The menu's only item (Xvfb has no window manager to move the focus into it).
xdotool mousemove 1097 79 click 1
BUILDER=$(wait_window "New Segment" 10) || exit 1
focus "$BUILDER"
sleep 0.5
shot 02-new

step "a name; Country is one of US, CA"
xdotool type --delay 20 "Newsletter North America"
# The drop-downs' lists by mouse: Xvfb has no window manager to give
# their pop-ups the keyboard.
click () {
  xdotool mousemove "$1" "$2" click 1
  sleep 0.5
}
click 352 286
click 362 435
click 580 286
xdotool type --delay 20 "US, CA"
wait_log "Segment count:" 10
shot 03-country

step "Add Condition (Alt+A): a tag, newsletter; the live count"
xdotool key --clearmodifiers alt+a
sleep 0.5
xdotool mousemove 118 341
sleep 0.3
click 118 341
click 110 456
click 520 341
xdotool type --delay 20 "newsletter"
wait_count "$EXPECTED"
shot 04-count

step "Save (Alt+S); the CLI reads the same rule and the same count"
xdotool key --clearmodifiers alt+s
wait_log "Saved segment “Newsletter North America”" 10
wait_gone "New Segment" 10
shot 05-saved
SAVED=$(cli segments list --json)
[ "$(echo "$SAVED" | json_get 'len(d)')" = 1 ] || fail "segments list: $SAVED"
[ "$(echo "$SAVED" | json_get 'd[0]["name"]')" = "Newsletter North America" ] || fail "segments list: $SAVED"
[ "$(echo "$SAVED" | json_get 'json.dumps(d[0]["rule"], separators=(",", ":"))')" = "$RULE" ] ||
  fail "the saved rule is not $RULE: $SAVED"
COUNTED=$(cli segments count "Newsletter North America" --json | json_get 'd["count"]')
[ "$COUNTED" = "$EXPECTED" ] || fail "segments count says $COUNTED, the window showed $EXPECTED"

step "Segments → the saved segment: its rows again, counted the same"
focus "$MAIN"
xdotool key --clearmodifiers alt+s
wait_log "Listed 1 saved segments" 10
shot 06-menu
xdotool mousemove 1097 79 click 1
OPENED=$(wait_window "Newsletter North America" 10) || exit 1
focus "$OPENED"
COUNTS=$(grep -c 'Segment count:' "$LOG")
for _ in $(seq 100); do
  [ "$(grep -c 'Segment count:' "$LOG")" -gt "$COUNTS" ] && break
  sleep 0.1
done
[ "$(last_count)" = "$EXPECTED" ] || fail "the opened segment counts $(last_count), not $EXPECTED"
shot 07-opened
xdotool key --clearmodifiers Escape
wait_gone "Newsletter North America" 10

step "a second segment with the same name: the error on the name row"
focus "$MAIN"
xdotool key --clearmodifiers alt+s
wait_log "Listed 1 saved segments" 10
sleep 0.5
xdotool mousemove 1066 124 click 1
BUILDER=$(wait_window "New Segment" 10) || exit 1
focus "$BUILDER"
sleep 0.5
xdotool type --delay 20 "newsletter north america"
click 500 286
xdotool type --delay 20 "US"
wait_log "Segment count: 16 contacts" 10
xdotool key --clearmodifiers alt+s
wait_log "Not saved:" 10
shot 08-name-taken
find_window "New Segment" >/dev/null || fail "the builder closed on a name in use"
xdotool key --clearmodifiers Escape
wait_gone "New Segment" 10
[ "$(cli segments list --json | json_get 'len(d)')" = 1 ] || fail "a second segment was saved"

step "Ctrl+Q: the app exits cleanly, without a warning"
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
! grep -E "CRITICAL|WARNING" "$LOG" || fail "textcast warned"
echo "PASS"
