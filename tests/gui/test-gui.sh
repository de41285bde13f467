#!/bin/bash
# test-gui.sh: drives the real `textcast` under Xvfb with xdotool. It opens
# the Import dialog on a fixture CSV, imports it, checks the report, searches
# the list, opens a contact, takes screenshots, quits, and checks what was
# stored with textcast-cli (or sqlite3).
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli (optional: sqlite3 is used without it)
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   TEXTCAST_GUI_FIXTURE  the CSV file to import
#   SCREENSHOT_DIR        where the screenshots go

GUI_TEST=gui
GUI_SHOT_PREFIX=main-
GUI_REQUIRED="TEXTCAST GSETTINGS_SCHEMA_DIR TEXTCAST_GUI_FIXTURE SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

step "start textcast on an empty workspace with $TEXTCAST_GUI_FIXTURE"
"$TEXTCAST" --db "$DB" "$TEXTCAST_GUI_FIXTURE" >"$LOG" 2>&1 &
APP_PID=$!

MAIN=$(wait_window "Textcast" 30) || exit 1
DIALOG=$(wait_window "Import Contacts" 30) || exit 1

step "the mapping preview"
# The dialog is called “Reading File…” until the preview is there; then
# the Import button has the focus and is the default widget.
shot 01-import-mapping
focus "$DIALOG"
xdotool key --clearmodifiers Return

step "wait for the report"
REPORT=$(wait_window "Import Finished" 60) || exit 1
shot 02-import-report

[ "$(count_contacts)" = 13 ] || fail "expected 13 contacts after the import, found “$(count_contacts)”"

step "save the rejected rows (Alt+S), then close the report with Escape"
focus "$REPORT"
xdotool key --clearmodifiers alt+s
SAVER=$(wait_window "Save Rejected Rows" 20) || exit 1
focus "$SAVER"
sleep 0.5
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "$TMP/rejected.csv"
sleep 0.3
xdotool key --clearmodifiers Return
for _ in $(seq 100); do
  [ -s "$TMP/rejected.csv" ] && break
  sleep 0.1
done
[ -s "$TMP/rejected.csv" ] || fail "Save List wrote no file"
EXPECTED=$(printf 'line,value,reason\r\n12,12345,')
head -c ${#EXPECTED} "$TMP/rejected.csv" | cmp -s - <(printf '%s' "$EXPECTED") || \
  fail "unexpected rejected rows file: $(cat "$TMP/rejected.csv")"
grep -q "^13,not a phone," "$TMP/rejected.csv" || fail "line 13 is missing from the rejected rows: $(cat "$TMP/rejected.csv")"
[ "$(wc -l < "$TMP/rejected.csv")" = 3 ] || fail "expected a header and 2 rejected rows: $(cat "$TMP/rejected.csv")"
focus "$REPORT"
xdotool key --clearmodifiers Escape
wait_gone "Import Finished"

step "the list"
focus "$MAIN"
shot 03-contacts-list

step "search"
xdotool key --clearmodifiers ctrl+f
xdotool type --delay 60 "Chen"
sleep 0.8
shot 04-contacts-search

step "open the first match with Enter"
xdotool key --clearmodifiers Return
sleep 1
shot 05-contact-page

step "the rest of the contact page: custom attributes and consent"
xdotool mousemove 660 420
for _ in $(seq 12); do xdotool click 5; done
shot 06-contact-page-more

step "back to the list, then export with Ctrl+E"
xdotool key --clearmodifiers alt+Left
sleep 0.5
xdotool key --clearmodifiers ctrl+e
CHOOSER=$(wait_window "Export Contacts" 20) || exit 1
focus "$CHOOSER"
sleep 0.5
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "$TMP/export.csv"
sleep 0.3
xdotool key --clearmodifiers Return
for _ in $(seq 100); do
  [ -s "$TMP/export.csv" ] && [ "$(wc -l < "$TMP/export.csv")" -ge 14 ] && break
  sleep 0.1
done
[ -s "$TMP/export.csv" ] || fail "Export wrote no file at $TMP/export.csv"
LINES=$(wc -l < "$TMP/export.csv")
[ "$LINES" = 14 ] || fail "the export has $LINES lines, expected a header and 13 contacts"
head -n 1 "$TMP/export.csv" | grep -q "phone" || fail "the export has no header row: $(head -n 1 "$TMP/export.csv")"
grep -q "+6591234567" "$TMP/export.csv" || fail "Mei Chen is missing from the export"
shot 07-exported

quit_app () {
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
  # Without dbus-run-session there is no session bus: that one warning is
  # the machine's, not the app's.
  if grep -E -- "-(CRITICAL|WARNING) \*\*" "$LOG" | grep -v "Unable to acquire session bus" >/dev/null; then
    fail "textcast printed warnings"
  fi
}

step "quit with Ctrl+Q"
focus "$MAIN"
quit_app

step "check the workspace"
if [ -n "${TEXTCAST_CLI:-}" ] && [ -x "$TEXTCAST_CLI" ] && \
   JSON=$("$TEXTCAST_CLI" --db "$DB" contacts list --json 2>"$TMP/cli.err"); then
  N=$(printf '%s' "$JSON" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') \
    || fail "textcast-cli printed no JSON array: $JSON"
  [ "$N" = 13 ] || fail "textcast-cli lists $N contacts, expected 13"
  printf '%s' "$JSON" | python3 -c '
import json, sys
contacts = {c["phone"]: c for c in json.load(sys.stdin)}
mei = contacts.get("+6591234567")
assert mei is not None, "Mei Chen (+6591234567) is missing"
assert (mei["first_name"], mei["last_name"]) == ("Mei", "Chen"), mei
liam = contacts.get("+14155552671")
assert liam is not None, "Liam O’Brien (+14155552671) is missing"
assert liam["email"] == "liam.obrien@example.com", "the duplicate row did not update Liam: %r" % liam
jonas = contacts.get("+4915123456789")
assert jonas is not None, "the national number of Jonas Becker (Country DE) was not imported"
' || fail "the stored contacts are not what the file holds"
  echo "# checked with textcast-cli"
else
  command -v sqlite3 >/dev/null || fail "neither textcast-cli nor sqlite3 can read the workspace"
  [ "$(count_contacts)" = 13 ] || fail "expected 13 contacts, found $(count_contacts)"
  NAME=$(sqlite3 "file:$DB?mode=ro" "SELECT first_name || ' ' || last_name FROM contacts WHERE phone = '+6591234567'")
  [ "$NAME" = "Mei Chen" ] || fail "expected Mei Chen at +6591234567, found “$NAME”"
  EMAIL=$(sqlite3 "file:$DB?mode=ro" "SELECT email FROM contacts WHERE phone = '+14155552671'")
  [ "$EMAIL" = "liam.obrien@example.com" ] || fail "the duplicate row did not update Liam: “$EMAIL”"
  echo "# checked with sqlite3"
fi

step "a new workspace with --sample gets the sample contacts"
"$TEXTCAST" --db "$TMP/data/sample.db" --sample >"$LOG" 2>&1 &
APP_PID=$!
DB="$TMP/data/sample.db"
MAIN=$(wait_window "Textcast" 30) || exit 1
for _ in $(seq 300); do
  [ "$(count_contacts)" = 300 ] && break
  sleep 0.1
done
[ "$(count_contacts)" = 300 ] || fail "expected 300 sample contacts, found “$(count_contacts)”"
shot 08-sample-list
focus "$MAIN"
quit_app

echo "PASS: imported, searched, opened a contact, exported, sample workspace; screenshots in $SCREENSHOT_DIR"
exit 0
