#!/bin/bash
# test-inbox-contact.sh: drives the real `textcast` under Xvfb with xdotool
# to the contact's tags and note beside an Inbox conversation: Alt+Enter
# opens them, two tags typed with a comma are added, a note is written and
# saved with Ctrl+Enter, a tag is removed with Delete; each change is read
# back from the database and with `textcast-cli contacts list --json`
# (the note is the contact's custom attribute "notes"). A screenshot at
# each step.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (inbox-contact-*.png)

GUI_TEST=inbox-contact
GUI_SHOT_PREFIX=inbox-contact-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-inbox-page,tc-inbox-contact,tc-send-service

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" 2>>"$TMP/cli.log" || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

sql () {
  sqlite3 "file:$DB?mode=ro" "$1" 2>/dev/null
}

# contact_json FIELD: the contact's FIELD as textcast-cli lists it (tags
# sorted and joined with commas; an attribute by name).
contact_json () {
  cli contacts list --search "$ANA" --json | /usr/bin/python3 -c '
import json, sys
rows = json.load(sys.stdin)
rows = rows["contacts"] if isinstance(rows, dict) else rows
c = [r for r in rows if r["phone"] == sys.argv[1]][0]
if sys.argv[2] == "tags":
    print(",".join(sorted(c["tags"])))
else:
    print(c["attributes"].get(sys.argv[2], ""))' "$ANA" "$1"
}

# wait_saved N: waits for the Nth "Saved contact" line.
wait_saved () {
  for _ in $(seq 150); do
    [ "$(grep -c "Saved contact $ANA_ID:" "$LOG")" -ge "$1" ] && return 0
    kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
    sleep 0.1
  done
  fail "the contact was not saved a ${1}th time"
}

step "a sample workspace; Ana wrote by SMS"
cli sample --count 20 >/dev/null
cli providers set simulator >/dev/null
ANA=$(sql "SELECT c.phone FROM contacts c JOIN consent_state s ON s.contact_id = c.id
           WHERE s.channel = 'sms' AND s.status = 'opted_in' AND c.phone LIKE '+1%' ORDER BY c.id LIMIT 1")
[ -n "$ANA" ] || fail "the sample has no US contact with SMS consent"
ANA_ID=$(sql "SELECT id FROM contacts WHERE phone = '$ANA'")
cli inbound --channel sms --from "$ANA" --body "Can I change the size of order 2231?" >/dev/null
TAGS_BEFORE=$(contact_json tags)
echo "# $ANA (#$ANA_ID), tags before: [$TAGS_BEFORE]"
[ -z "$(contact_json notes)" ] || fail "the sample contact has a note already"

step "start textcast; Ctrl+4, Enter: the conversation"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
focus "$MAIN"
xdotool key --clearmodifiers ctrl+4
wait_log "Listed 1 conversations" 15
xdotool type --delay 30 "order 2231"
xdotool key --clearmodifiers Return
wait_log "Conversation with contact $ANA_ID:" 15
wait_log "Showing the tags and note of contact $ANA_ID" 15

step "Alt+Enter: the tags and the note; “returning, VIP” Enter adds two tags"
xdotool key --clearmodifiers alt+Return
wait_log "Showing the contact's tags and note" 10
shot 01-details
xdotool type --delay 30 "returning, VIP"
xdotool key --clearmodifiers Return
wait_saved 1
EXPECTED=$(printf '%s\n' $(echo "$TAGS_BEFORE" | tr ',' ' ') returning VIP | sort -u | paste -sd, -)
TAGS=$(contact_json tags)
[ "$TAGS" = "$EXPECTED" ] || fail "tags after adding: [$TAGS], expected [$EXPECTED]"
[ "$(sql "SELECT count(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
           WHERE ct.contact_id = $ANA_ID AND t.name IN ('returning', 'VIP')")" = 2 ] ||
  fail "the two tags are not in the database"
shot 02-tagged

step "Tab to the note; type it; Ctrl+Enter saves it as the attribute “notes”"
xdotool key --clearmodifiers Tab
xdotool type --delay 20 "Prefers texts after 6pm. Size M."
xdotool key --clearmodifiers ctrl+Return
wait_saved 2
NOTE=$(contact_json notes)
[ "$NOTE" = "Prefers texts after 6pm. Size M." ] || fail "the note read back is “$NOTE”"
shot 03-noted

step "Shift+Tab twice to the tags, Delete: one tag removed"
xdotool key --clearmodifiers shift+Tab shift+Tab
sleep 0.3
shot 04-tag-focused
xdotool key --clearmodifiers Delete
wait_saved 3
TAGS=$(contact_json tags)
N_BEFORE=$(echo "$EXPECTED" | tr ',' '\n' | grep -c .)
N_AFTER=$(echo "$TAGS" | tr ',' '\n' | grep -c .)
[ "$N_AFTER" = $((N_BEFORE - 1)) ] || fail "tags after Delete: [$TAGS], from [$EXPECTED]"
REMOVED=$(comm -23 <(echo "$EXPECTED" | tr ',' '\n' | sort) <(echo "$TAGS" | tr ',' '\n' | sort))
echo "# removed the tag “$REMOVED”"
grep -q "Saved contact $ANA_ID: tags \[$TAGS\]" "$LOG" || fail "the app did not say it saved [$TAGS]"
[ "$(contact_json notes)" = "Prefers texts after 6pm. Size M." ] || fail "removing a tag lost the note"
shot 05-untagged

step "Escape closes it; the reply bar still works: the note survives a reply"
xdotool key --clearmodifiers Escape
sleep 0.3
xdotool type --delay 20 "Yes, we will swap it for M."
xdotool key --clearmodifiers Return
wait_log "Reply queued as outbox message" 10
[ "$(contact_json notes)" = "Prefers texts after 6pm. Size M." ] || fail "the note is gone after a reply"

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
