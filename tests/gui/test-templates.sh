#!/bin/bash
# test-templates.sh: drives the real `textcast` under Xvfb with xdotool
# through the Templates section: a new SMS template, typed text, the live
# counter (read from TEXTCAST_TEST_STATE_FILE, which the SMS editor writes
# whenever its counter line changes: it counts the message as the preview
# contact gets it), the one-click UCS-2 fix, saving, a second version, and
# what was stored, checked with textcast-cli.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (templates-*.png)

GUI_TEST=templates
GUI_SHOT_PREFIX=templates-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

STATE="$TMP/state"
export TEXTCAST_TEST_STATE_FILE="$STATE"

# expect_state PATTERN: waits until the counter line (the state file)
# matches the extended regular expression PATTERN.
expect_state () {
  local pattern=$1
  for _ in $(seq 50); do
    if [ -f "$STATE" ] && grep -Eq -- "$pattern" "$STATE"; then
      echo "# counter: $(cat "$STATE")"
      return 0
    fi
    sleep 0.1
  done
  fail "the counter is “$(cat "$STATE" 2>/dev/null)”, expected /$pattern/"
}

# (Without the sample journey's own template, cart_reminder_sms.)
templates_json () {
  "$TEXTCAST_CLI" --db "$DB" templates list --kind sms --json 2>"$TMP/cli.err" |
    python3 -c 'import json, sys; print(json.dumps([t for t in json.load(sys.stdin) if t["name"] != "cart_reminder_sms"]))' || \
    fail "textcast-cli templates list failed: $(cat "$TMP/cli.err")"
}

step "start textcast with sample contacts"
"$TEXTCAST" --db "$DB" --sample >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
for _ in $(seq 300); do
  [ "$(count_contacts)" = 300 ] && break
  sleep 0.1
done
[ "$(count_contacts)" = 300 ] || fail "expected 300 sample contacts, found “$(count_contacts)”"
sleep 1
focus "$MAIN"

step "Ctrl+2: the Templates section, empty"
xdotool key --clearmodifiers ctrl+2
shot 01-empty

step "Ctrl+N: a new SMS template"
xdotool key --clearmodifiers ctrl+n
sleep 1
[ ! -s "$STATE" ] && fail "the editor wrote no counter"
# The first sample contact, Maria Clara, speaks Portuguese: without a
# template language hers is the opt-out text, “Responda STOP para
# cancelar” (27 characters).
expect_state "^For Maria Clara: GSM-7 · 1 segment · 133 characters left in this segment$"

step "the template's language, English, wins over the contact's"
# From the message text back to the Language row: past Insert Snippet and
# Insert Variable.
xdotool key --clearmodifiers shift+Tab shift+Tab shift+Tab
xdotool type --delay 20 "en"
xdotool key --clearmodifiers Tab Tab Tab
# Just “Reply STOP to opt out” (21).
expect_state "^For Maria Clara: GSM-7 · 1 segment · 139 characters left in this segment$"

# type_unicode HEX: types one character by its code point with GTK's
# Ctrl+Shift+U input (xdotool's own Unicode typing needs spare keycodes,
# which Xvfb's keymap does not always have).
type_unicode () {
  xdotool key --clearmodifiers ctrl+shift+u
  xdotool type --delay 20 "$1"
  xdotool key --clearmodifiers space
}

step "type the message"
xdotool type --delay 5 "Hi {{first_name|there}}, 20% off today"
# Counted as Maria Clara gets it: “Hi Maria Clara, 20% off today” (29), a
# new line and “Reply STOP to opt out” (21): 51 septets. (The typed text,
# with { } | at two septets each, would be 65.)
expect_state "^For Maria Clara: GSM-7 · 1 segment · 109 characters left in this segment$"
shot 02-gsm

step "a dash and a curly apostrophe make it UCS-2"
xdotool type --delay 5 " "
type_unicode 2013
xdotool type --delay 5 " it"
type_unicode 2019
xdotool type --delay 5 "s on us"
# 29 + 13 characters, a new line and 21: 64 UTF-16 units, 1 segment of 70.
expect_state "^For Maria Clara: UCS-2 because of “–”, “’” · 1 segment · 6 characters left in this segment$"
shot 03-ucs2

step "Alt+R: replace them (back to GSM-7)"
xdotool key --clearmodifiers alt+r
# The same 64 characters, now septets.
expect_state "^For Maria Clara: GSM-7 · 1 segment · 96 characters left in this segment$"
shot 04-replaced

step "Ctrl+S: save, version 1"
xdotool key --clearmodifiers ctrl+s
for _ in $(seq 50); do
  [ "$(templates_json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] && break
  sleep 0.1
done
shot 05-saved
templates_json | python3 -c '
import json, sys
templates = json.load(sys.stdin)
assert len(templates) == 1, templates
t = templates[0]
assert t["name"] == "Untitled SMS Template", t
assert t["kind"] == "sms" and t["version"] == 1 and t["purpose"] == "promotional", t
body = t["body"]
assert body.startswith("Hi {{first_name|there}}, 20% off today"), body
assert "\u2019" not in body and "\u2013" not in body, "the curly characters were not replaced: %r" % body
assert "it'"'"'s on us" in body, body
' || fail "the stored template is not what was typed: $(templates_json)"

step "more text, saved again: version 2, version 1 kept"
xdotool type --delay 5 " See {{event.cart_url}}"
# “ See ” and the preview's cart link (31 characters) with
# ?utm_source=sms&utm_medium=sms&utm_campaign=untitled-sms-template (65):
# 64 + 101 = 165 septets, 2 segments, 12 in the second.
expect_state "^For Maria Clara: GSM-7 · 2 segments · 141 characters left in this segment$"
xdotool key --clearmodifiers ctrl+s
for _ in $(seq 50); do
  [ "$(templates_json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["version"])')" = 2 ] && break
  sleep 0.1
done
templates_json | python3 -c '
import json, sys
t = json.load(sys.stdin)[0]
assert t["version"] == 2, t
assert t["body"].endswith(" See {{event.cart_url}}"), t["body"]
' || fail "the second save did not make version 2: $(templates_json)"
V1=$("$TEXTCAST_CLI" --db "$DB" templates show "Untitled SMS Template" --kind sms --version 1) || \
  fail "textcast-cli templates show --version 1 failed"
case "$V1" in
  *"See {{event.cart_url}}"*) fail "version 1 changed: $V1" ;;
  "Hi {{first_name|there}}, 20% off today"*) ;;
  *) fail "unexpected version 1: $V1" ;;
esac
shot 06-version-2

step "back to the list (Alt+Left)"
xdotool key --clearmodifiers alt+Left
sleep 0.8
shot 07-list

step "quit with Ctrl+Q"
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 100); do
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast did not quit on Ctrl+Q"
wait "$APP_PID"
STATUS=$?
APP_PID=
[ "$STATUS" = 0 ] || fail "textcast exited with status $STATUS"
if grep -E -- "-(CRITICAL|WARNING) \*\*" "$LOG" | grep -v "Unable to acquire session bus" >/dev/null; then
  fail "textcast printed warnings"
fi

echo "PASS: typed an SMS template, counter GSM-7 → UCS-2 → GSM-7, saved two versions; screenshots in $SCREENSHOT_DIR"
exit 0
