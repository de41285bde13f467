#!/bin/bash
# test-journeys.sh: drives the real `textcast` under Xvfb with xdotool
# through the journey editor: a journey made from the cart-abandonment
# template with textcast-cli, opened from Journeys (Ctrl+5); an "Update
# Contact" step dragged from the palette onto the canvas (a real drag and
# drop: mousedown, moves, mouseup); the WhatsApp follow-up's "Skipped"
# output dragged onto it and its output onto the last step; Ctrl+S; then
# `textcast-cli journey export` must hold the step and both edges. Tidy
# Up must keep every edge going right, and Activate must switch the
# journey on; once a cart is abandoned, the canvas's live statistics show
# the shopper waiting at the first wait. The inspector's controls turn the
# branch into a consent check and a wait into a time-of-day window.
# Quitting with an unsaved move asks first: Cancel keeps the window, Save
# saves and quits. Undo (Ctrl+Z) and redo are used on the way, and a
# screenshot is taken at each step.
#
# Where to point comes from the app's debug output (the palette rows and
# the canvas in the window, the canvas's zoom and pan) and the journey's
# JSON, so no coordinate is written down here.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (journeys-*.png)

GUI_TEST=journeys
GUI_SHOT_PREFIX=journeys-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

export G_MESSAGES_DEBUG=tc-journey-editor,tc-journey-canvas

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@" 2>>"$TMP/cli.log" || fail "textcast-cli $* failed: $(tail -n 3 "$TMP/cli.log")"
}

# json_get EXPR: evaluates EXPR (Python, over `d`) on the JSON read from stdin.
json_get () {
  python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}


# export_journey FILE: the journey as `journey export` writes it.
export_journey () {
  rm -f "$1"
  cli journey export "$ID" "$1" >/dev/null
  [ -s "$1" ] || fail "journey export wrote nothing"
}

# port_point NODE PORT|input: where on the screen a port of NODE is, from
# the saved JSON ($TMP/saved.json), the canvas's place in the window and
# its last zoom and pan. The card geometry is tc-journey-editor-logic.h's.
port_point () {
  python3 - "$TMP/saved.json" "$LOG" "$1" "$2" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
ox, oy = map(float, re.findall(r"Canvas at (-?[\d.]+),(-?[\d.]+)", log)[-1])
zoom, px, py = map(float, re.findall(r"View: origin \S+ zoom ([\d.]+) pan (-?[\d.]+),(-?[\d.]+)", log)[-1])
node = next(n for n in d["nodes"] if n["id"] == sys.argv[3])
ports = {"trigger": ["next"], "wait": ["next"], "update_contact": ["next"], "exit": [],
         "wait_for_event": ["happened", "timed_out"], "send_sms": ["sent", "skipped"],
         "send_whatsapp": ["sent", "skipped"], "send_preferred": ["sent", "skipped"],
         "branch": ["yes", "no"]}[node["kind"]]
W, HEADER, ROW = 184.0, 48.0, 24.0
if sys.argv[4] == "input":
    x, y = node["x"], node["y"] + HEADER / 2
elif ports == ["next"]:
    x, y = node["x"] + W, node["y"] + HEADER / 2
else:
    x, y = node["x"] + W, node["y"] + HEADER + (ports.index(sys.argv[4]) + 0.5) * ROW
print(round(ox + x * zoom + px), round(oy + y * zoom + py))
EOF
}

# drag X1 Y1 X2 Y2: a mouse drag in small steps, as a hand would.
drag () {
  xdotool mousemove "$1" "$2"
  sleep 0.3
  xdotool mousedown 1
  sleep 0.3
  for i in 1 2 3 4 5 6 7 8 9 10; do
    xdotool mousemove $(($1 + ($3 - $1) * i / 10)) $(($2 + ($4 - $2) * i / 10))
    sleep 0.08
  done
  sleep 0.3
  xdotool mouseup 1
  sleep 0.5
}

step "a journey from the cart-abandonment template"
ID=$(cli journey create --from-template cart_abandonment --json | json_get 'd["id"]')
[ -n "$ID" ] || fail "journey create gave no id"
echo "# journey $ID"

step "start textcast; Journeys (Ctrl+5) lists it"
(cd "$TMP" && exec "$TEXTCAST" --db "$DB") >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
sleep 1
focus "$MAIN"
LISTED=$(log_count "Listed 1 journeys")
xdotool key --clearmodifiers ctrl+5
wait_more "Listed 1 journeys" "$LISTED" 10
shot 01-list

step "open it (Return on the focused row): the editor, already laid out left to right"
xdotool key --clearmodifiers Return
wait_log "Opened journey $ID" 15
wait_log "Palette update_contact at" 10
wait_log "Canvas at" 10
shot 02-opened

# The ready-made journeys come laid out as tidy-up would: nothing to tidy.
! grep -q "Tidied up journey $ID on opening" "$LOG" || fail "the ready-made journey was tidied on opening"

step "the journey as created, from the CLI"
export_journey "$TMP/saved.json"
N_BEFORE=$(json_get 'len(d["nodes"])' <"$TMP/saved.json")
E_BEFORE=$(json_get 'len(d["edges"])' <"$TMP/saved.json")
[ "$N_BEFORE" = 8 ] || fail "the cart journey has $N_BEFORE steps, not 8"

step "drag “Update Contact” from the palette onto the empty canvas"
read -r PX PY < <(grep -o 'Palette update_contact at [0-9]*,[0-9]*' "$LOG" | tail -n 1 | grep -o '[0-9]*,[0-9]*' | tr ',' ' ')
read -r CX CY CW CH < <(grep -o 'Canvas at [0-9]*,[0-9]* size [0-9]*x[0-9]*' "$LOG" | tail -n 1 |
                        sed 's/Canvas at //; s/ size / /; s/[,x]/ /g')
# Low in the canvas, where the row of cards is not.
DROP_X=$((CX + CW / 3))
DROP_Y=$((CY + CH - 130))
DROPS=$(log_count "Dropped update_contact as")
drag "$PX" "$PY" "$DROP_X" "$DROP_Y"
wait_more "Dropped update_contact as" "$DROPS" 10
NEW=$(grep -o 'Dropped update_contact as [A-Za-z0-9_-]*' "$LOG" | tail -n 1 | awk '{print $4}')
echo "# new step: $NEW"
shot 03-dropped

step "Ctrl+Z takes it away, Shift+Ctrl+Z brings it back"
xdotool key --clearmodifiers ctrl+z
sleep 0.5
shot 04-undone
xdotool key --clearmodifiers ctrl+shift+z
sleep 0.5

step "save, then fit the view (Shift+Ctrl+F) to see every step"
SAVES=$(log_count "Saved journey $ID as version")
xdotool key --clearmodifiers ctrl+s
wait_more "Saved journey $ID as version" "$SAVES" 10
export_journey "$TMP/saved.json"
[ "$(json_get "len([n for n in d['nodes'] if n['id'] == '$NEW' and n['kind'] == 'update_contact'])" <"$TMP/saved.json")" = 1 ] ||
  fail "the dropped step $NEW is not in the saved journey: $(cat "$TMP/saved.json")"
VIEWS=$(log_count "View: origin")
xdotool key --clearmodifiers ctrl+shift+f
wait_more "View: origin" "$VIEWS" 10
shot 05-fitted

step "connect: WhatsApp follow-up “Skipped” → the new step, the new step → the last step"
read -r X1 Y1 < <(port_point whatsapp-followup skipped)
read -r X2 Y2 < <(port_point "$NEW" input)
echo "# drag $X1,$Y1 → $X2,$Y2"
drag "$X1" "$Y1" "$X2" "$Y2"
shot 06-connected-skipped
read -r X1 Y1 < <(port_point "$NEW" next)
read -r X2 Y2 < <(port_point exit input)
echo "# drag $X1,$Y1 → $X2,$Y2"
drag "$X1" "$Y1" "$X2" "$Y2"
shot 07-connected-next

step "Ctrl+S; the export holds the step and both edges"
SAVES=$(log_count "Saved journey $ID as version")
xdotool key --clearmodifiers ctrl+s
wait_more "Saved journey $ID as version" "$SAVES" 10
export_journey "$TMP/final.json"
python3 - "$TMP/final.json" "$NEW" "$N_BEFORE" "$E_BEFORE" <<'EOF' || fail "the saved journey is not as drawn: $(cat "$TMP/final.json")"
import json, sys
d = json.load(open(sys.argv[1]))
new, n_before, e_before = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
edges = {(e["from"], e["port"]): e["to"] for e in d["edges"]}
assert len(d["nodes"]) == n_before + 1, len(d["nodes"])
assert [n["kind"] for n in d["nodes"] if n["id"] == new] == ["update_contact"]
assert edges.get(("whatsapp-followup", "skipped")) == new, edges
assert edges.get((new, "next")) == "exit", edges
# "Skipped" ended the journey before; connecting it took the mark away.
wa = next(n for n in d["nodes"] if n["id"] == "whatsapp-followup")
assert "skipped" not in wa.get("ends", []), wa
assert len(d["edges"]) == e_before + 2, len(d["edges"])
EOF
VALID=$(cli journey validate "$TMP/final.json" --json 2>/dev/null; true)
echo "# validate: $VALID"

step "select the new step (Tab walks the steps) and look at the inspector"
focus "$MAIN"
read -r X2 Y2 < <(python3 - "$TMP/final.json" "$LOG" "$NEW" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
ox, oy = map(float, re.findall(r"Canvas at (-?[\d.]+),(-?[\d.]+)", log)[-1])
zoom, px, py = map(float, re.findall(r"View: origin \S+ zoom ([\d.]+) pan (-?[\d.]+),(-?[\d.]+)", log)[-1])
node = next(n for n in d["nodes"] if n["id"] == sys.argv[3])
print(round(ox + (node["x"] + 92) * zoom + px), round(oy + (node["y"] + 24) * zoom + py))
EOF
)
xdotool mousemove "$X2" "$Y2" click 1
sleep 0.8
shot 08-inspector

step "Tidy Up (Shift+Ctrl+T) puts the new step in line"
focus "$MAIN"
xdotool key --clearmodifiers ctrl+shift+t
sleep 0.8
shot 09-tidied
SAVES=$(log_count "Saved journey $ID as version")
xdotool key --clearmodifiers ctrl+s
wait_more "Saved journey $ID as version" "$SAVES" 10
export_journey "$TMP/tidied.json"
python3 - "$TMP/tidied.json" "$NEW" <<'EOF' || fail "tidy-up left the new step out of line: $(cat "$TMP/tidied.json")"
import json, sys
d = json.load(open(sys.argv[1]))
x = {n["id"]: n["x"] for n in d["nodes"]}
# Left to right: every edge goes right.
for e in d["edges"]:
    assert x[e["from"]] < x[e["to"]], e
assert x["whatsapp-followup"] < x[sys.argv[2]] < x["exit"]
EOF

step "Activate (Alt+A): checked against the workspace and switched on"
ACTIVATIONS=$(log_count "Activated journey, version")
xdotool key --clearmodifiers alt+a
wait_more "Activated journey, version" "$ACTIVATIONS" 15
shot 10-active
LISTED=$(cli journey list --json)
[ "$(echo "$LISTED" | json_get 'd[0]["state"]')" = active ] || fail "the journey is not active: $LISTED"
[ "$(echo "$LISTED" | json_get 'd[0]["active_version"]')" = 1 ] || fail "no active version 1: $LISTED"
[ "$(echo "$LISTED" | json_get 'd[0]["nodes"]')" = 9 ] || fail "the active journey has not 9 steps: $LISTED"

step "Pause (Alt+P, the button an active journey shows instead of Activate), then Activate again"
PAUSES=$(log_count "Paused journey")
xdotool key --clearmodifiers alt+p
wait_more "Paused journey" "$PAUSES" 15
[ "$(cli journey list --json | json_get 'd[0]["state"]')" = paused ] ||
  fail "Pause did not pause the journey: $(cli journey list --json)"
shot 10b-paused
ACTIVATIONS=$(log_count "Activated journey, version")
xdotool key --clearmodifiers alt+a
wait_more "Activated journey, version" "$ACTIVATIONS" 15
LISTED=$(cli journey list --json)
[ "$(echo "$LISTED" | json_get 'd[0]["state"]')" = active ] || fail "the journey is not active again: $LISTED"
[ "$(echo "$LISTED" | json_get 'd[0]["active_version"]')" = 1 ] || fail "activating again made a new version: $LISTED"

step "a cart abandoned (textcast-cli events send): the window's own runner enrols the shopper"
cli events send --name cart_abandoned --phone +14155550180 \
  --property cart_url=https://shop.example/cart/1 >/dev/null
enrolled () {
  sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM journey_enrollments WHERE journey_id = $ID" 2>/dev/null
}
for _ in $(seq 300); do
  [ "$(enrolled)" = 1 ] && break
  sleep 0.1
done
[ "$(enrolled)" = 1 ] || fail "the window ran no journey: $(enrolled) enrollments after 30 s"

step "the canvas's live statistics: the shopper waits at “Wait 1 hour”, having passed the trigger"
# Read every 3 s on the repository's reader; logged when they change.
wait_log "wait-1h: 1 waiting, 0 passed, 0 sent, 0 converted;" 15
grep -F "Statistics of journey $ID:" "$LOG" | tail -n 1 | grep -qF "trigger: 0 waiting, 1 passed" ||
  fail "the trigger's statistics are not shown: $(grep -F "Statistics of journey" "$LOG" | tail -n 1)"
focus "$MAIN"
VIEWS=$(log_count "View: origin")
xdotool key --clearmodifiers ctrl+shift+f
wait_more "View: origin" "$VIEWS" 10
# Ctrl+scroll over the first wait zooms in around it, so the badges can be read.
cp "$TMP/tidied.json" "$TMP/saved.json"
read -r X1 Y1 < <(port_point wait-1h input)
xdotool mousemove "$X1" "$Y1"
sleep 0.3
xdotool keydown ctrl click --repeat 15 --delay 80 4 keyup ctrl
sleep 0.5
shot 11-statistics

step "the inspector: the branch's condition becomes consent on SMS, through its controls"
# card_point NODE: the middle of a card's header on the screen (the tidied layout).
card_point () {
  python3 - "$TMP/tidied.json" "$LOG" "$1" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
ox, oy = map(float, re.findall(r"Canvas at (-?[\d.]+),(-?[\d.]+)", log)[-1])
zoom, px, py = map(float, re.findall(r"View: origin \S+ zoom ([\d.]+) pan (-?[\d.]+),(-?[\d.]+)", log)[-1])
node = next(n for n in d["nodes"] if n["id"] == sys.argv[3])
print(round(ox + (node["x"] + 92) * zoom + px), round(oy + (node["y"] + 16) * zoom + py))
EOF
}
# control NAME: where the inspector's control NAME is (its last logged place).
control () {
  grep -o "Inspector $1 at [0-9]*,[0-9]*" "$LOG" | tail -n 1 | sed 's/.* at //; s/,/ /'
}
# choose NAME KEY: opens the inspector's drop-down NAME and picks with KEY (Home, End).
choose () {
  local x y
  read -r x y < <(control "$1")
  [ -n "$x" ] || fail "the inspector has no $1"
  xdotool mousemove "$x" "$y" click 1
  sleep 0.8
  xdotool key --clearmodifiers "$2"
  sleep 0.2
  xdotool key --clearmodifiers Return
  sleep 0.8
}
focus "$MAIN"
VIEWS=$(log_count "View: origin")
xdotool key --clearmodifiers ctrl+shift+f
wait_more "View: origin" "$VIEWS" 10
SHOWN=$(log_count "Inspector shows purchased")
read -r X1 Y1 < <(card_point purchased)
xdotool mousemove "$X1" "$Y1" click 1
wait_more "Inspector shows purchased" "$SHOWN" 10
BEFORE=$(log_count "Inspector consent-channel at")
choose condition-kind End
wait_more "Inspector consent-channel at" "$BEFORE" 10
# (Changing a value keeps the inspector as it is: what it wrote is checked after saving.)
choose consent-channel Home
shot 13-consent-condition

step "the inspector: “Wait 23 hours” becomes a time of day — from 10:00, not on Saturdays"
SHOWN=$(log_count "Inspector shows wait-23h")
read -r X1 Y1 < <(card_point wait-23h)
xdotool mousemove "$X1" "$Y1" click 1
wait_more "Inspector shows wait-23h" "$SHOWN" 10
BEFORE=$(log_count "Inspector day-sat at")
choose wait-mode End
wait_more "Inspector day-sat at" "$BEFORE" 10
read -r X1 Y1 < <(control from-hour)
xdotool mousemove "$X1" "$Y1" click 1
sleep 0.3
xdotool key --clearmodifiers Up
sleep 0.5
# Saturday off; when the days are below the inspector's end (above the
# problems, about 690), scroll it first, over its heading.
read -r X1 Y1 < <(control day-sat)
if [ "$Y1" -gt 670 ]; then
  BEFORE=$(log_count "Inspector day-sat at")
  xdotool mousemove "$X1" 100 click --repeat 6 --delay 60 5
  wait_more "Inspector day-sat at" "$BEFORE" 10
  read -r X1 Y1 < <(control day-sat)
fi
xdotool mousemove "$X1" "$Y1" click 1
sleep 0.5
shot 14-time-window
SAVES=$(log_count "Saved journey $ID as version")
xdotool key --clearmodifiers ctrl+s
wait_more "Saved journey $ID as version" "$SAVES" 10
export_journey "$TMP/inspected.json"
python3 - "$TMP/inspected.json" <<'EOF' || fail "the inspector's controls did not write what they show: $(cat "$TMP/inspected.json")"
import json, sys
d = {n["id"]: n for n in json.load(open(sys.argv[1]))["nodes"]}
assert d["purchased"]["config"] == {"condition": {"consent": "sms", "purpose": "promotional", "status": "opted_in"}}, d["purchased"]
assert d["wait-23h"]["config"] == {"until": {"from": "10:00", "to": "17:00",
                                             "days": ["mon", "tue", "wed", "thu", "fri", "sun"]}}, d["wait-23h"]
EOF
cp "$TMP/inspected.json" "$TMP/tidied.json"

step "move “Wait 1 hour” (click it, Right arrow): an unsaved change"
sleep 0.5
read -r X1 Y1 < <(python3 - "$TMP/tidied.json" "$LOG" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
log = open(sys.argv[2], encoding="utf-8", errors="replace").read()
ox, oy = map(float, re.findall(r"Canvas at (-?[\d.]+),(-?[\d.]+)", log)[-1])
zoom, px, py = map(float, re.findall(r"View: origin \S+ zoom ([\d.]+) pan (-?[\d.]+),(-?[\d.]+)", log)[-1])
node = next(n for n in d["nodes"] if n["id"] == "wait-1h")
print(round(ox + (node["x"] + 92) * zoom + px), round(oy + (node["y"] + 16) * zoom + py))
EOF
)
xdotool mousemove "$X1" "$Y1" click 1
sleep 0.5
xdotool key --clearmodifiers Right
sleep 0.5

step "Ctrl+Q asks first (Save Changes?); Escape cancels: the window stays"
xdotool key --clearmodifiers ctrl+q
wait_log "Asking before closing: journey $ID has unsaved changes" 10
shot 12-save-changes
xdotool key --clearmodifiers Escape
wait_log "Closing the window cancelled" 10
sleep 0.5
[ -n "$(find_window Textcast)" ] || fail "the window closed although the question was cancelled"
kill -0 "$APP_PID" 2>/dev/null || fail "textcast quit although the question was cancelled"

step "Ctrl+Q again, Return (Save): the change is saved, then the app exits cleanly, without a warning"
ASKED=$(log_count "Asking before closing: journey $ID")
focus "$MAIN"
xdotool key --clearmodifiers ctrl+q
wait_more "Asking before closing: journey $ID" "$ASKED" 10
xdotool key --clearmodifiers Return
for _ in $(seq 150); do
  kill -0 "$APP_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$APP_PID" 2>/dev/null && fail "textcast did not exit after saving on Ctrl+Q"
wait "$APP_PID"
status=$?
APP_PID=
grep -q "Saved journey $ID as version [0-9]*; closing the window" "$LOG" || fail "the journey was not saved before closing"
export_journey "$TMP/closed.json"
python3 - "$TMP/tidied.json" "$TMP/closed.json" <<'EOF' || fail "the move was not saved on closing"
import json, sys
before = {n["id"]: n["x"] for n in json.load(open(sys.argv[1]))["nodes"]}
after = {n["id"]: n["x"] for n in json.load(open(sys.argv[2]))["nodes"]}
assert after["wait-1h"] > before["wait-1h"], (before["wait-1h"], after["wait-1h"])
assert all(after[k] == v for k, v in before.items() if k != "wait-1h")
EOF
[ "$status" = 0 ] || fail "textcast exited with status $status"
! grep -E "CRITICAL|WARNING" "$LOG" || fail "textcast warned"
echo "PASS"
