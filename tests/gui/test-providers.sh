#!/bin/bash
# test-providers.sh: drives the real `textcast` under Xvfb with xdotool
# through Preferences → Providers (Ctrl+comma, Alt+V): saves a Twilio
# Account SID, has a sender that is not a number refused and a good one
# saved, makes Twilio the SMS provider, and tests the connection against a
# fake Twilio on 127.0.0.1 (the auth token comes from the environment, so no
# keyring is touched); checks everything with `textcast-cli providers list
# --json` and the request the fake received.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Environment (set by tests/gui/meson.build):
#   TEXTCAST              the textcast program
#   TEXTCAST_CLI          textcast-cli
#   GSETTINGS_SCHEMA_DIR  the build's compiled schemas
#   SCREENSHOT_DIR        where the screenshots go (providers-*.png)

GUI_TEST=providers
GUI_SHOT_PREFIX=providers-
GUI_REQUIRED="TEXTCAST TEXTCAST_CLI GSETTINGS_SCHEMA_DIR SCREENSHOT_DIR"
. "$(dirname "$0")/lib.sh" "$@"

SID=AC0123456789abcdef0123456789abcdef
FROM=+14155550100
TOKEN=gui-test-token-7c1
export TEXTCAST_TWILIO_AUTH_TOKEN=$TOKEN

FAKE_PID=
stop_fake () {
  if [ -n "$FAKE_PID" ] && kill -0 "$FAKE_PID" 2>/dev/null; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
  fi
  cleanup
}
trap stop_fake EXIT

# twilio FIELD: a field of Twilio's entry in `providers list --json`
# (lists joined with commas).
twilio () {
  "$TEXTCAST_CLI" --db "$DB" providers list --json 2>"$TMP/cli.err" | python3 -c '
import json, sys
entry = [p for p in json.load(sys.stdin) if p["name"] == "twilio"][0]
value = entry.get(sys.argv[1])
print(",".join(value) if isinstance(value, list) else ("" if value is None else value))' "$1" ||
    fail "textcast-cli providers list failed: $(cat "$TMP/cli.err")"
}

# expect_twilio FIELD VALUE: waits until the field is exactly VALUE.
expect_twilio () {
  for _ in $(seq 50); do
    [ "$(twilio "$1")" = "$2" ] && { echo "# twilio $1 = $2"; return 0; }
    sleep 0.1
  done
  fail "twilio $1 is “$(twilio "$1")”, expected “$2”"
}

step "a fake Twilio on 127.0.0.1 that writes down what it is asked"
python3 - "$TMP" <<'PY' &
import http.server, json, sys
folder = sys.argv[1]
class Fake(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(folder + "/request", "w") as f:
            f.write(self.path + "\n" + (self.headers.get("Authorization") or "") + "\n")
        body = json.dumps({"sid": self.path.split("/")[-1][:-5], "friendly_name": "Acme GUI Test",
                           "status": "active"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Fake)
with open(folder + "/port", "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
FAKE_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || fail "the fake Twilio did not start"
PORT=$(cat "$TMP/port")

step "a workspace with the simulator, Twilio's base URL at the fake"
"$TEXTCAST_CLI" --db "$DB" providers set simulator || fail "providers set simulator failed"
"$TEXTCAST_CLI" --db "$DB" settings set twilio.base_url "http://127.0.0.1:$PORT" ||
  fail "settings set twilio.base_url failed"

step "start textcast, Ctrl+comma, Alt+V: Preferences → Providers"
G_MESSAGES_DEBUG=tc-send-service,tc-preferences-window "$TEXTCAST" --db "$DB" >"$LOG" 2>&1 &
APP_PID=$!
MAIN=$(wait_window "Textcast" 30) || exit 1
# Started (sending too: the simulator) before any key is pressed.
wait_log "Sending; the HTTP endpoint listens on 127.0.0.1:" 30
sleep 1
focus "$MAIN"
xdotool key --clearmodifiers ctrl+comma
PREFS=$(wait_window "Preferences" 10) || exit 1
sleep 0.5
show_page v Providers
shot 01-page

step "Alt+A: the Account SID, saved with Enter"
# A slow start (the sanitizer build on a busy machine) can swallow the
# first keys while the page is still being shown: try again, at most twice.
for attempt in 1 2 3; do
  focus "$PREFS"
  xdotool key --clearmodifiers alt+a
  sleep 0.3
  xdotool key --clearmodifiers ctrl+a
  xdotool type --delay 10 "$SID"
  xdotool key --clearmodifiers Return
  for _ in $(seq 30); do [ "$(twilio account_sid)" = "$SID" ] && break; sleep 0.1; done
  [ "$(twilio account_sid)" = "$SID" ] && break
  echo "# attempt $attempt: the Account SID was not saved yet"
  sleep 1
done
expect_twilio account_sid "$SID"
expect_twilio credentials environment

step "Alt+F: a sender that is not a number is refused"
xdotool key --clearmodifiers alt+f
xdotool type --delay 20 "+1 415"
xdotool key --clearmodifiers Return
sleep 1
[ "$(twilio from)" = "" ] || fail "“+1 415” was saved: “$(twilio from)”"
shot 02-refused

step "a good number is saved"
xdotool key --clearmodifiers ctrl+a
xdotool type --delay 20 "$FROM"
xdotool key --clearmodifiers Return
expect_twilio from "$FROM"
expect_twilio configured True

step "Alt+S: SMS through Twilio"
xdotool key --clearmodifiers alt+s
sleep 0.8
xdotool key --clearmodifiers Down Return
expect_twilio channels sms

step "Alt+E: test the connection"
xdotool key --clearmodifiers alt+e
for _ in $(seq 50); do [ -s "$TMP/request" ] && break; sleep 0.1; done
[ -s "$TMP/request" ] || fail "the connection test did not reach the fake Twilio"
EXPECTED_AUTH="Basic $(printf '%s' "$SID:$TOKEN" | base64 -w0)"
[ "$(sed -n 1p "$TMP/request")" = "/2010-04-01/Accounts/$SID.json" ] ||
  fail "asked for “$(sed -n 1p "$TMP/request")”"
[ "$(sed -n 2p "$TMP/request")" = "$EXPECTED_AUTH" ] || fail "wrong Authorization header"
shot 03-tested

step "close Preferences: everything is still stored"
xdotool key --clearmodifiers Escape
wait_gone "Preferences" 10
expect_twilio account_sid "$SID"
expect_twilio from "$FROM"
expect_twilio channels sms
# The token was never written to the workspace.
if sqlite3 "file:$DB?mode=ro" .dump | grep -q "$TOKEN"; then
  fail "the auth token is in the database"
fi

kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited"
echo "# ok"
