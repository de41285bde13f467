#!/bin/bash
# test-readiness.sh: drives the real `textcast` under Xvfb with xdotool
# through the readiness check: from the welcome page of an empty workspace
# (Check Readiness…, Alt+R) through the four pages of questions, to the
# findings and the score; presses the Fix… button of “Replies do not name
# your business”, which opens Preferences on the Messages page, types the
# brand name there, closes Preferences, and sees the finding gone and the
# score higher. The answers and the score are checked against
# `textcast-cli readiness --json` on the same workspace.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (readiness-*.png)

GUI_TEST=readiness
GUI_SHOT_PREFIX=readiness-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-readiness-page,tc-window,tc-preferences-window

# position WHAT: the last "Readiness WHAT at X,Y" the app logged, as "X Y".
position () {
  grep -F "Readiness $1 at " "$LOG" | tail -n 1 | sed 's/.* at \([0-9-]*\),\([0-9-]*\).*/\1 \2/'
}

# click WHAT: waits until the app logged where WHAT is, scrolling down
# while it is out of sight, and clicks there.
click () {
  local at last n
  wait_log "Readiness $1 " 10
  for _ in $(seq 15); do
    last=$(grep -E "Readiness $1 (at |hidden)" "$LOG" | tail -n 1)
    case "$last" in
      *hidden*)
        n=$(grep -cE "Readiness $1 (at |hidden)" "$LOG")
        xdotool mousemove --sync 660 400 click --repeat 3 --delay 50 5
        for _ in $(seq 30); do
          [ "$(grep -cE "Readiness $1 (at |hidden)" "$LOG")" -gt "$n" ] && break
          sleep 0.1
        done
        ;;
      *" at "*)
        at=$(echo "$last" | sed 's/.* at \([0-9-]*\),\([0-9-]*\).*/\1 \2/')
        # shellcheck disable=SC2086
        xdotool mousemove --sync $at click 1
        sleep 0.3
        return 0
        ;;
    esac
  done
  fail "$1 never came into sight"
}

# json_get EXPR: EXPR (Python, on the report `r`) of `readiness --json`.
json_get () {
  "$TEXTCAST_CLI" --db "$DB" readiness --json 2>"$TMP/cli.err" |
    python3 -c 'import json, sys; r = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" ||
    fail "textcast-cli readiness --json failed: $(cat "$TMP/cli.err")"
}

last_score () {
  grep -F "Readiness score " "$LOG" | tail -n 1 | sed 's/.*Readiness score \([0-9]*\),.*/\1/'
}

step "start textcast on an empty workspace"
"$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
sleep 1
shot 01-welcome

step "Alt+R: Check Readiness… on the welcome page"
for _ in 1 2 3 4 5; do
  focus "$MAIN"
  xdotool key --clearmodifiers alt+r
  for _ in $(seq 20); do
    [ "$(log_count "Readiness questions shown")" -gt 0 ] && break 2
    sleep 0.1
  done
done
wait_log "Readiness questions shown" 5

step "page 1: order updates and deals, transactional only"
click "choice use_cases/order_updates"
click "choice use_cases/appointments"
click "choice purposes/transactional"
shot 02-questions-1
click "button next"
wait_log "Readiness question page 2"

step "page 2: SMS, a budget and a volume"
click "choice channels/sms"
click "entry budget"
xdotool type --delay 20 "lots"
click "entry volume"
xdotool type --delay 20 "2000"
click "button next"
# Not a number: said in words, and the page stays.
sleep 0.5
[ "$(log_count "Readiness question page 3")" = 0 ] || fail "a budget of “lots” was taken"
shot 03-questions-2-error
click "entry budget"
xdotool key --clearmodifiers ctrl+a BackSpace
xdotool type --delay 20 "500"
click "button next"
wait_log "Readiness question page 3"

step "page 3: a sign-up form"
click "choice optin_sources/web_form"
click "button next"
wait_log "Readiness question page 4"

step "page 4: deliveries; then what is missing"
click "choice goals/deliveries"
shot 04-questions-4
before=$(log_count "Readiness score ")
click "button next"
wait_log "Readiness answers saved"
wait_more "Readiness score " "$before"

[ "$(json_get 'r["answers"]["use_cases"]')" = "order_updates,appointments" ] ||
  fail "use_cases saved as “$(json_get 'r["answers"]["use_cases"]')”"
[ "$(json_get 'r["answers"]["purposes"]')" = "transactional" ] || fail "purposes not saved"
[ "$(json_get 'r["answers"]["channels"]')" = "sms" ] || fail "channels not saved"
[ "$(json_get 'r["answers"]["budget"]')" = "500.00" ] || fail "budget not saved"
[ "$(json_get 'r["answers"]["volume"]')" = "2000" ] || fail "volume not saved"
[ "$(json_get 'r["answers"]["optin_sources"]')" = "web_form" ] || fail "opt-in sources not saved"
[ "$(json_get 'r["answers"]["goals"]')" = "deliveries" ] || fail "goals not saved"

SCORE1=$(last_score)
[ "$SCORE1" = "$(json_get 'r["score"]')" ] || fail "the page shows $SCORE1, the CLI $(json_get 'r["score"]')"
# Transactional only: nothing about marketing consent or quiet hours.
[ "$(json_get '"quiet_hours.rules" in [c["id"] for c in r["findings"] + r["passed"]]')" = False ] ||
  fail "quiet hours are checked although no promotional message is planned"
[ "$(json_get '"help.program" in [c["id"] for c in r["findings"]]')" = True ] ||
  fail "no finding about the brand name"
echo "# score: $SCORE1"
shot 05-findings

step "Fix… on “Replies do not name your business”"
click "fix help.program"
wait_log "Opening preferences:messages for a readiness fix"
PREFS=$(wait_window "Preferences" 10) || exit 1
wait_log "Showing the Messages page"
sleep 0.5
focus "$PREFS"
# The brand name row has the focus when Preferences opens.
xdotool type --delay 20 "Acme Shoes"
for _ in $(seq 50); do
  [ "$("$TEXTCAST_CLI" --db "$DB" settings get brand.name 2>/dev/null)" = "Acme Shoes" ] && break
  sleep 0.1
done
[ "$("$TEXTCAST_CLI" --db "$DB" settings get brand.name 2>/dev/null)" = "Acme Shoes" ] ||
  fail "the brand name was not saved"
shot 06-preferences

step "close Preferences: back on the findings, the score is higher"
before=$(log_count "Readiness score ")
xdotool key --clearmodifiers Escape
wait_gone "Preferences" 10
focus "$MAIN"
wait_more "Readiness score " "$before"
# The last refresh is the one after the change.
sleep 1
SCORE2=$(last_score)
echo "# score: $SCORE1 → $SCORE2"
[ "$SCORE2" -gt "$SCORE1" ] || fail "the score did not rise: $SCORE1 → $SCORE2"
[ "$SCORE2" = "$(json_get 'r["score"]')" ] || fail "the page shows $SCORE2, the CLI $(json_get 'r["score"]')"
[ "$(json_get '"help.program" in [c["id"] for c in r["passed"]]')" = True ] ||
  fail "the brand name is still a finding"
shot 07-findings-after

step "Change Answers… goes back to the questions, with the answers"
click "button answers"
wait_log "Readiness questions shown"
shot 08-questions-again

kill "$APP_PID" 2>/dev/null
wait "$APP_PID" 2>/dev/null
APP_PID=
echo "# PASS"
