#!/bin/bash
# test-compliance.sh: drives the real `textcast` under Xvfb with xdotool
# through the consent ledger and Preferences → Compliance: opens a sample
# contact, records a consent by hand in the Record Consent dialog (typing
# the exact wording and where it was given), checks the ledger with
# `textcast-cli consent show --json`, revokes it, exports the person's data,
# then changes the frequency cap and the English opt-out words in
# Preferences → Compliance and checks them with `textcast-cli settings get`;
# last, it erases the contact.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (compliance-*.png)

GUI_TEST=compliance
GUI_SHOT_PREFIX=compliance-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

WORDING="Yes, text me deals from Acme Shoes. Up to 4 msgs/month. Reply STOP to cancel."
ORIGIN="Counter sign-up sheet, Lisbon store"

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" 2>"$TMP/cli.err" || fail "textcast-cli $* failed: $(cat "$TMP/cli.err")"
}

consent_json () {
  cli consent show --phone "$PHONE" --json
}

# setting KEY: the stored value, or nothing when unset.
setting () {
  "$TEXTCAST_CLI" --db "$DB" settings get "$1" 2>/dev/null
}

# expect_setting KEY VALUE: waits until KEY is stored as exactly VALUE.
expect_setting () {
  for _ in $(seq 50); do
    [ "$(setting "$1")" = "$2" ] && { echo "# $1 = $2"; return 0; }
    sleep 0.1
  done
  fail "setting $1 is “$(setting "$1")”, expected “$2”"
}

# expect_consent PYTHON-CONDITION DESCRIPTION: waits until the condition
# holds for `report`, the contact's consent report.
expect_consent () {
  for _ in $(seq 50); do
    if consent_json | python3 -c '
import json, sys
report = json.load(sys.stdin)
events = report["events"]
status = report["status"]
sys.exit(0 if ('"$1"') else 1)
' 2>/dev/null; then
      echo "# ledger: $2"
      return 0
    fi
    sleep 0.1
  done
  fail "the ledger does not show $2: $(consent_json)"
}

step "start textcast with sample contacts"
G_MESSAGES_DEBUG=tc-preferences-window "$TEXTCAST" --db "$DB" --sample >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
for _ in $(seq 300); do
  [ "$(count_contacts)" = 300 ] && break
  sleep 0.1
done
[ "$(count_contacts)" = 300 ] || fail "expected 300 sample contacts, found “$(count_contacts)”"

step "pick a sample contact with nothing to revoke yet"
# So that the one Revoke button after recording is the one for the consent
# recorded here.
PHONE=
for candidate in $(sqlite3 "file:$DB?mode=ro" 'SELECT phone FROM contacts ORDER BY sort_key, id LIMIT 60'); do
  if "$TEXTCAST_CLI" --db "$DB" consent show --phone "$candidate" --json 2>/dev/null | python3 -c '
import json, sys
status = json.load(sys.stdin)["status"]
sys.exit(1 if any(p["status"] in ("opted_in", "pending") for c in status.values() for p in c.values()) else 0)
'; then
    PHONE=$candidate
    break
  fi
done
[ -n "$PHONE" ] || fail "no sample contact without an opt-in among the first 60"
N_EVENTS=$(consent_json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["events"]))')
echo "# contact $PHONE, $N_EVENTS consent events so far"

step "search for the number and open the contact"
sleep 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+f
xdotool type --delay 40 "${PHONE#+}"
sleep 1
xdotool key --clearmodifiers Return
sleep 1.5
shot 01-contact

step "Alt+R: Record Consent"
xdotool key --clearmodifiers alt+r
DIALOG=$(wait_window "Record Consent" 10) || exit 1
focus "$DIALOG"
shot 02-record-empty
# The wording has the focus; Record stays off until it is typed.
xdotool type --delay 10 "$WORDING"
xdotool key --clearmodifiers alt+w
xdotool type --delay 10 "$ORIGIN"
shot 03-record-filled
xdotool key --clearmodifiers ctrl+Return
wait_gone "Record Consent" 10

expect_consent "len(events) == $N_EVENTS + 1 and events[-1][\"wording\"] == \"$WORDING\" and events[-1][\"origin\"] == \"$ORIGIN\" and events[-1][\"kind\"] == \"opted_in\" and events[-1][\"source\"] == \"manual\" and events[-1][\"channel\"] == \"sms\" and events[-1][\"purpose\"] == \"promotional\" and status[\"sms\"][\"promotional\"][\"status\"] == \"opted_in\"" \
  "opted in to promotional SMS by hand, with the typed wording and origin"
sleep 0.5
shot 04-recorded

step "the consent overview and the history with its evidence"
# Without a window manager the main window does not get the focus back by
# itself when a dialog closes.
focus "$MAIN"
# To the bottom of the page: the history has one row, right above the
# Personal Data group; open it to show the evidence.
xdotool mousemove 660 420
for _ in $(seq 20); do xdotool click 5; done
sleep 0.5
shot 05-consent
xdotool mousemove 660 479 click 1
sleep 0.5
for _ in $(seq 20); do xdotool click 5; done
shot 06-evidence

step "Alt+V: revoke promotional SMS"
xdotool key --clearmodifiers alt+v
# The titles are regular expressions: the question mark is escaped.
REVOKE=$(wait_window "Revoke Promotional SMS\?" 10) || exit 1
focus "$REVOKE"
shot 07-revoke-dialog
# Cancel is the default; Tab to Revoke.
xdotool key --clearmodifiers Tab
xdotool key --clearmodifiers Return
wait_gone "Revoke Promotional SMS\?" 10
expect_consent "len(events) == $N_EVENTS + 2 and events[-1][\"kind\"] == \"opted_out\" and events[-1][\"source\"] == \"manual\" and events[-1][\"channel\"] == \"sms\" and events[-1][\"purpose\"] == \"promotional\" and status[\"sms\"][\"promotional\"][\"status\"] == \"opted_out\"" \
  "opted out of promotional SMS by hand"
focus "$MAIN"
sleep 0.5
shot 08-revoked

step "Alt+X: export everything about the person as JSON"
focus "$MAIN"
xdotool key --clearmodifiers alt+x
CHOOSER=$(wait_window "Export Data" 20) || exit 1
focus "$CHOOSER"
sleep 0.5
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "$TMP/person.json"
sleep 0.3
xdotool key --clearmodifiers Return
for _ in $(seq 100); do
  [ -s "$TMP/person.json" ] && break
  sleep 0.1
done
[ -s "$TMP/person.json" ] || fail "Export Data wrote no file at $TMP/person.json"
python3 - "$TMP/person.json" "$WORDING" <<'PY' || fail "the export does not hold the consent recorded: $(head -c 2000 "$TMP/person.json")"
import json, sys
data = json.load(open(sys.argv[1]))
assert sys.argv[2] in json.dumps(data, ensure_ascii=False), "the wording is missing"
PY
echo "# export holds the wording"

step "Ctrl+comma, Alt+C: Preferences → Compliance"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+comma
PREFS=$(wait_window "Preferences" 10) || exit 1
sleep 0.5
show_page c Compliance
shot 09-compliance

step "Alt+M: at most 3 promotional messages per person"
xdotool key --clearmodifiers alt+m
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "3"
xdotool key --clearmodifiers Tab
expect_setting caps.promotional.count 3
[ -z "$(setting caps.promotional.hours)" ] || fail "the cap's hours were stored: “$(setting caps.promotional.hours)”"

step "Alt+O: extra English opt-out words"
xdotool key --clearmodifiers alt+o
xdotool type --delay 20 "parar,  BASTA ,"
expect_setting keywords.optout.en "parar, BASTA"
shot 10-compliance-keywords

step "Alt+A: a quiet-hour rule for Kenya, Mondays 09:00-18:00"
# The rule's rows are made when it is first opened (the page opens with
# every rule closed); the other rules are saved as they were loaded.
xdotool key --clearmodifiers alt+a
ADD=$(wait_window "Add a Quiet-Hour Rule" 10) || exit 1
focus "$ADD"
xdotool type --delay 20 "ke"
xdotool key --clearmodifiers Return
wait_gone "Add a Quiet-Hour Rule" 10
focus "$PREFS"
sleep 0.3
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "09:00-18:00"
xdotool key --clearmodifiers Tab
rules_ok () {
  setting quiet_hours.rules | python3 -c '
import json, sys
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
def expand(key):
    if key == "daily":
        return days
    out = []
    for part in key.split(","):
        a, _, b = part.partition("-")
        out += days[days.index(a):days.index(b or a) + 1]
    return out
rules = json.load(sys.stdin)
ke = [r for r in rules if r["country"] == "KE" and not r.get("subdivision")]
assert len(ke) == 1, rules
windows = {d: v for k, v in ke[0]["windows"].items() for d in expand(k)}
assert windows.get("mon") == "09:00-18:00", windows
assert windows.get("tue") not in (None, "09:00-18:00"), windows
others = [r for r in rules if r["country"] != "KE"]
assert any(r["country"] == "*" for r in others) and len(others) >= 5, others
assert all(r["windows"] for r in others), others
' 2>/dev/null
}
for _ in $(seq 50); do
  rules_ok && break
  sleep 0.1
done
rules_ok || fail "the Kenya rule was not stored as typed: $(setting quiet_hours.rules)"
echo "# quiet_hours.rules holds Kenya's Mondays and every other rule"
shot 10b-compliance-rule

step "Escape closes Preferences; the settings stay"
xdotool key --clearmodifiers Escape
wait_gone "Preferences" 10
[ "$(setting caps.promotional.count)" = 3 ] || fail "the cap was lost on closing"
[ "$(setting keywords.optout.en)" = "parar, BASTA" ] || fail "the opt-out words were lost on closing"

step "Alt+C on the contact page: erase the contact"
focus "$MAIN"
xdotool key --clearmodifiers alt+c
ERASE=$(wait_window "Erase This Contact\?" 10) || exit 1
focus "$ERASE"
shot 11-erase-dialog
xdotool key --clearmodifiers Tab
xdotool key --clearmodifiers Return
wait_gone "Erase This Contact\?" 10
for _ in $(seq 50); do
  [ "$(count_contacts)" = 299 ] && break
  sleep 0.1
done
[ "$(count_contacts)" = 299 ] || fail "the contact was not erased: $(count_contacts) contacts"
sleep 0.5
shot 12-erased

step "quit with Ctrl+Q"
focus "$MAIN"
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
# GTK 4.8 itself warns "GtkText - did not receive a focus-out event" now and then when a window
# closes while one of its entries has the focus (an upstream GTK bug, not an event we handle);
# every other warning fails the test.
if grep -E -- "-(CRITICAL|WARNING) \*\*" "$LOG" | grep -v "Unable to acquire session bus" |
     grep -v "GtkText - did not receive a focus-out event" >/dev/null; then
  fail "textcast printed warnings"
fi

echo "PASS: recorded and revoked a consent by hand, exported and erased the contact, set the cap and opt-out words; screenshots in $SCREENSHOT_DIR"
exit 0
