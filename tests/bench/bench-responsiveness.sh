#!/bin/bash
# bench-responsiveness.sh [CONTACTS]: how long the window's main loop is
# kept from answering input while a campaign to every contact is queued and
# sent. A workspace of CONTACTS sample contacts (default 1,000,000; or the
# one in BENCH_DB, reused) on the built-in simulator; a campaign to
# everyone started with textcast-cli while the real `textcast` runs under
# Xvfb and sends it; meanwhile xdotool works the window like a person —
# sections, scrolling the contact list to the end and back, searching, the
# campaign's live report, the inbox, Preferences — for BENCH_SECONDS
# (default 60; BENCH_ONLY=preferences opens and closes Preferences and
# nothing else). The app's stall meter (TEXTCAST_STALL_REPORT,
# src/gui/tc-stall-meter.h) gives the longest time the loop was held.
# Prints its figures; never fails because a machine is slow (target: the
# longest stall under 100 ms).
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment: TEXTCAST, TEXTCAST_CLI (a release build), GSETTINGS_SCHEMA_DIR.

set -u

if [ -z "${BENCH_INNER:-}" ]; then
  for tool in xvfb-run xdotool dbus-run-session; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not found"; exit 77; }
  done
  export BENCH_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
fi

N=${1:-1000000}
SECONDS_TO_RUN=${BENCH_SECONDS:-60}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-responsiveness-XXXXXX")
mkdir -p "$TMP/data"
DB=${BENCH_DB:-$TMP/data/t.db}
APP_PID=
SEND_PID=
cleanup () {
  [ -n "$SEND_PID" ] && kill "$SEND_PID" 2>/dev/null
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

cli () {
  "$TEXTCAST_CLI" --db "$DB" "$@"
}

export GDK_BACKEND=x11 GSK_RENDERER=cairo GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
export TEXTCAST_HTTP_PORT=0 TZ=UTC LC_ALL=C.UTF-8

HAVE=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM contacts" 2>/dev/null || echo 0)
if [ "${HAVE:-0}" -lt "$N" ]; then
  # N contacts with SMS marketing consent: UK mobiles (+44 7400 000000 on),
  # so that the campaign goes out in the daytime of a UTC run, as a CSV
  # imported the way a user would.
  START=$(date +%s.%N)
  python3 - "$N" "$TMP/contacts.csv" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
first = ["Olivia", "Noah", "Amelia", "Oliver", "Isla", "George", "Ava", "Arthur", "Mia", "Leo"]
last = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Garcia", "Evans"]
with open(path, "w") as out:
    out.write("phone,first_name,last_name,country,tags,consent_sms_promotional\n")
    for i in range(n):
        out.write("+447400%06d,%s,%s,GB,%s,yes\n" % (i, first[i % 10], last[(i // 10) % 10],
                                                   "newsletter" if i % 3 == 0 else "vip"))
PY
  cli contacts import "$TMP/contacts.csv" >/dev/null || { echo "import failed"; exit 1; }
  echo "workspace: $N contacts imported in $(python3 -c "import time; print(round(time.time() - $START, 1))") s"
else
  echo "workspace: reusing $DB ($HAVE contacts)"
fi
cli providers set simulator >/dev/null
# Sending allowed at every hour, so that the engine hands messages to the
# simulator whatever time the benchmark runs (the default rules hold UK
# marketing texts back from 21:00 to 08:00).
cli settings set quiet_hours.rules '[{"country":"*","windows":{"daily":"00:00-24:00"}}]' ||
  { echo "cannot open the quiet hours"; exit 1; }
echo "Spring sale: 20% off everything this weekend." |
  cli templates save --name bench-spring --kind sms --purpose promotional >/dev/null 2>&1 || true
ID=$(cli campaign create --name "Bench $(date +%s)" --channel sms --purpose promotional \
       --template bench-spring --all --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "start textcast with the stall meter"
TEXTCAST_STALL_REPORT="$TMP/stalls" "$TEXTCAST" --db "$DB" >"$TMP/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 300); do
  MAIN=$(xdotool search --onlyvisible --name '^Textcast$' 2>/dev/null | head -n 1)
  [ -n "$MAIN" ] && break
  sleep 0.1
done
[ -n "${MAIN:-}" ] || { echo "no window"; exit 1; }
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1280 800
sleep 3

echo "campaign $ID to everyone: textcast-cli campaign send (queues), the window's engine sends"
# Not through cli (): a backgrounded function is a subshell, and killing
# it would leave the CLI running after the benchmark.
"$TEXTCAST_CLI" --db "$DB" campaign send "$ID" >"$TMP/send.log" 2>&1 &
SEND_PID=$!

key () {
  xdotool key --clearmodifiers "$@"
  sleep 0.3
}

# What is being done from now on, on the clock of the stall meter's lines.
mark () {
  python3 -c 'import sys, time; print(sys.argv[1], "%.3f" % time.monotonic())' "$1" >>"$TMP/marks"
}

END=$(( $(date +%s) + SECONDS_TO_RUN ))
ROUNDS=0
while [ "$(date +%s)" -lt "$END" ]; do
  xdotool windowfocus "$MAIN" 2>/dev/null
  if [ "${BENCH_ONLY:-}" = preferences ]; then
    mark preferences; key ctrl+comma; sleep 1; key Escape; sleep 0.5
    ROUNDS=$((ROUNDS + 1))
    continue
  fi
  mark contacts; key ctrl+1
  mark page-down; for _ in $(seq 10); do key Page_Down; done
  mark ctrl+end; key ctrl+End
  mark ctrl+home; key ctrl+Home
  mark search; key ctrl+f
  xdotool type --delay 40 "garcia"; sleep 1
  mark search-cleared; key ctrl+a; key BackSpace; key Escape
  mark report; key ctrl+3; key Return; sleep 2
  key alt+Left
  mark inbox; key ctrl+4; sleep 1
  mark templates; key ctrl+2; sleep 1
  mark preferences; key ctrl+comma; sleep 1; key Escape
  ROUNDS=$((ROUNDS + 1))
done

SENT=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%' AND state NOT IN ('queued', 'deferred', 'skipped')" 2>/dev/null)
QUEUED=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE origin LIKE 'campaign:$ID:%'" 2>/dev/null)
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null; APP_PID=
echo "interaction: $ROUNDS rounds in $SECONDS_TO_RUN s; meanwhile $QUEUED rows queued for the campaign, $SENT handed to the simulator"
echo "main loop (after start-up):"
grep -v '^stall ' "$TMP/stalls" | sed 's/^/  /'
# Each stall over 50 ms with what was being done when it ended.
python3 - "$TMP/marks" "$TMP/stalls" <<'PY'
import sys
marks = [(line.split()[0], float(line.split()[1])) for line in open(sys.argv[1])]
by_action = {}
for line in open(sys.argv[2]):
    f = line.split()
    if f and f[0] == "stall":
        ms, at = float(f[1]), float(f[4])
        action = "before the first action"
        for name, t in marks:
            if t <= at:
                action = name
        by_action.setdefault(action, []).append(ms)
for action, stalls in sorted(by_action.items(), key=lambda kv: -max(kv[1])):
    print("  over 50 ms during %-15s %3d, longest %.1f ms" % (action + ":", len(stalls), max(stalls)))
PY
MAX=$(awk '/^max_ms/ { print $2 }' "$TMP/stalls")
echo "longest stall: ${MAX} ms (target < 100 ms)"
