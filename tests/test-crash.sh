#!/usr/bin/env bash
# test-crash.sh: the send engine survives being killed. `textcast-cli outbox run` sends 10,000
# messages to the built-in simulator (its own process, so its log outlives every kill) and is
# killed with SIGKILL at random moments, then started again, until the outbox is done. The
# simulator's log, one line per message it accepted, must name every recipient exactly once,
# and the outbox must show every message sent.
#
# Environment: TEXTCAST_CLI (textcast-cli). Optional: CRASH_MESSAGES (default 10000),
# CRASH_SEED (default: random; printed, to replay a failure).
set -u

N=${CRASH_MESSAGES:-10000}
SEED=${CRASH_SEED:-$RANDOM}
RANDOM=$SEED
TMP=$(mktemp -d "${TMPDIR:-/tmp}/textcast-crash-XXXXXX")
DB="$TMP/t.db"
LOG="$TMP/simulator.log"
SIM_PID=

cleanup () {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
  [ -n "${CRASH_KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

fail () {
  echo "FAIL (seed $SEED): $*" >&2
  exit 1
}

echo "# seed $SEED, $N messages"

# The simulator, alone, on a free port; its first line is its address.
"$TEXTCAST_CLI" simulator --listen 127.0.0.1:0 --seed "$SEED" --log "$LOG" \
  >"$TMP/simulator.out" 2>"$TMP/simulator.err" &
SIM_PID=$!
for _ in $(seq 100); do
  [ -s "$TMP/simulator.out" ] && break
  sleep 0.1
done
BASE=$(head -n 1 "$TMP/simulator.out")
case "$BASE" in
  http://127.0.0.1:*) ;;
  *) fail "the simulator did not start: $(cat "$TMP/simulator.err")" ;;
esac

# A workspace sending through "Twilio" = the simulator.
export TEXTCAST_TWILIO_AUTH_TOKEN=crash-test-token
unset DBUS_SESSION_BUS_ADDRESS
"$TEXTCAST_CLI" --db "$DB" sample --count 1 >/dev/null || fail "no workspace"
"$TEXTCAST_CLI" --db "$DB" providers set twilio --account-sid AC0123456789abcdef0123456789abcdef \
  --from +15005550006 --base-url "$BASE" >/dev/null || fail "providers set twilio failed"
"$TEXTCAST_CLI" --db "$DB" senders add --id +15005550006 --type long_code --purpose both \
  --mps 0 >/dev/null || fail "senders add failed"

# 10,000 queued messages (compliance replies need no consent record), in one transaction.
python3 - "$N" <<'PY' | sqlite3 "$DB" || fail "could not queue the messages"
import sys
n = int(sys.argv[1])
print("BEGIN;")
for i in range(n):
    phone = "+1212555%04d" % i
    print("INSERT INTO outbox (idem_key, origin, phone, channel, purpose, compliance, body,"
          " state, due_at, created_at, updated_at) VALUES"
          " ('crash:%d', 'reply', '%s', 'sms', 'transactional', 1, 'Message %d', 'queued',"
          " 0, 0, 0);" % (i, phone, i))
print("COMMIT;")
PY

remaining () {
  sqlite3 "file:$DB?mode=ro" \
    "SELECT count(*) FROM outbox WHERE state IN ('queued', 'deferred', 'sending')"
}

# Kill it again and again while it sends.
kills=0
while [ "$(remaining)" -gt 0 ] && [ $kills -lt 40 ]; do
  "$TEXTCAST_CLI" --db "$DB" outbox run --port 0 >/dev/null 2>>"$TMP/run.err" &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  kills=$((kills + 1))
done
echo "# killed $kills times; $(remaining) left"

# Then let it finish.
timeout 300 "$TEXTCAST_CLI" --db "$DB" outbox run --until-idle --port 0 >/dev/null \
  2>>"$TMP/run.err" || fail "the last run failed: $(tail -n 5 "$TMP/run.err")"

sleep 0.5
python3 - "$LOG" "$N" <<'PY' || fail "the simulator's log is wrong"
import json, sys, collections
path, n = sys.argv[1], int(sys.argv[2])
seen = collections.Counter()
for line in open(path, encoding="utf-8"):
    entry = json.loads(line)
    assert set(entry) == {"provider", "id", "to", "body", "at"}, entry
    seen[entry["to"]] += 1
twice = [to for to, count in seen.items() if count > 1]
missing = n - len(seen)
print("# %d accepted, %d recipients, %d twice, %d never" % (sum(seen.values()), len(seen), len(twice), missing))
if twice or missing:
    sys.exit(1)
PY

sent=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE state IN ('sent', 'delivered', 'undelivered', 'failed') AND provider_id <> ''")
other=$(sqlite3 "file:$DB?mode=ro" "SELECT state || ' ' || count(*) FROM outbox WHERE provider_id = '' OR provider_id IS NULL GROUP BY state")
[ "$sent" -eq "$N" ] || fail "$sent of $N outbox rows carry a provider id; the others: $other"
echo "ok - every recipient exactly once after $kills kills"
