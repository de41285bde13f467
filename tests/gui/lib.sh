# lib.sh: what the GUI tests (test-*.sh) share. It checks the environment,
# re-runs the test inside a private X server (and session bus) unless
# already there, makes the temporary folder, sets the environment for
# `textcast`, and defines the helpers below.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A test sets these, then sources this file with its arguments (for the
# re-run):  . "$(dirname "$0")/lib.sh" "$@"
#   GUI_TEST         its name: the temporary folder is textcast-GUI_TEST-XXXXXX
#   GUI_SHOT_PREFIX  what its screenshot names start with (may be empty):
#                    the old ones are removed at the start
#   GUI_REQUIRED     the environment variables it needs
#
# Afterwards: TMP (removed on exit), DB, LOG (textcast's output, shown when
# the test fails) and APP_PID (the app to kill on exit, set by the test).

set -u

fail () {
  echo "FAIL: $*" >&2
  if [ -n "${LOG:-}" ] && [ -s "$LOG" ]; then
    echo "--- textcast output ---" >&2
    cat "$LOG" >&2
  fi
  backtrace_of_core >&2
  exit 1
}

# When the app died of a signal (a critical warning aborts it, see G_DEBUG
# below) it left a core file in $TMP, its working folder: the stacks of its
# threads say where, which a log line alone cannot.
backtrace_of_core () {
  local core
  [ -n "${TMP:-}" ] && [ -n "${TEXTCAST:-}" ] || return 0
  if [ -n "${APP_PID:-}" ]; then
    for _ in $(seq 30); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.1
    done
  fi
  for core in "$TMP"/core*; do
    [ -s "$core" ] || continue
    echo "--- the stacks in $(basename "$core") ---"
    if command -v gdb >/dev/null; then
      # The thread that died last: a summary of a failed run keeps the end.
      gdb -q -batch -ex "thread apply all bt 12" -ex "echo --- the thread that died ---\n" \
        -ex "bt 20" "$TEXTCAST" "$core" 2>&1 |
        grep -v "^\[New LWP\|^warning: \|^$\|^Python Exception"
    else
      echo "(gdb is not installed)"
    fi
  done
}

for var in $GUI_REQUIRED; do
  [ -n "${!var:-}" ] || fail "$var is not set"
done

# Re-run inside a private X server (and session bus) unless already there.
if [ -z "${TEXTCAST_GUI_INNER:-}" ]; then
  command -v xvfb-run >/dev/null || { echo "SKIP: xvfb-run not found"; exit 77; }
  command -v xdotool >/dev/null || { echo "SKIP: xdotool not found"; exit 77; }
  export TEXTCAST_GUI_INNER=1
  if command -v dbus-run-session >/dev/null; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
  fi
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/textcast-$GUI_TEST-XXXXXX") || fail "no temporary folder"
# The workspace in a folder of its own: files the app saves through a file
# chooser go to $TMP, and the chooser must never read the database's own
# files (see HACKING.md, "SQLite's locks and the file chooser").
mkdir "$TMP/data" || fail "cannot create $TMP/data"
DB="$TMP/data/t.db"
LOG="$TMP/textcast.log"
APP_PID=
# The apps started below run in $TMP, and a crash leaves its core file there
# (core_pattern "core", the kernel's default) for backtrace_of_core.
cd "$TMP" || fail "cannot enter $TMP"
ulimit -S -c unlimited 2>/dev/null || true

cleanup () {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null
    wait "$APP_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$SCREENSHOT_DIR" || fail "cannot create $SCREENSHOT_DIR"
rm -f "$SCREENSHOT_DIR/$GUI_SHOT_PREFIX"*.png

export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export GSETTINGS_BACKEND=memory
export NO_AT_BRIDGE=1
export GTK_A11Y=none
export TZ=UTC
export LC_ALL=C.UTF-8
# Any critical warning aborts the app, and so fails the test.
export G_DEBUG=fatal-criticals
# The app's HTTP endpoint (sending, webhooks, tracked links) listens on
# any free port, so tests running side by side never fight over 8642.
export TEXTCAST_HTTP_PORT=${TEXTCAST_HTTP_PORT:-0}

step () {
  echo "# $*"
}

# find_window TITLE: the id of the visible window named exactly TITLE, or
# nothing.
find_window () {
  xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | head -n 1
}

# wait_window TITLE [SECONDS]: prints the id of the visible window named
# exactly TITLE once it exists.
wait_window () {
  local title=$1 seconds=${2:-30} id
  for _ in $(seq $((seconds * 10))); do
    id=$(find_window "$title")
    if [ -n "$id" ]; then
      echo "$id"
      return 0
    fi
    kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited while waiting for “$title”"
    sleep 0.1
  done
  fail "no window “$title” after ${seconds}s"
}

# wait_gone TITLE [SECONDS]: waits until no visible window is named TITLE.
wait_gone () {
  local title=$1 seconds=${2:-15}
  for _ in $(seq $((seconds * 10))); do
    xdotool search --onlyvisible --name "^${title}\$" >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  fail "window “$title” still open after ${seconds}s"
}

# shot NAME: a screenshot of the whole screen, GUI_SHOT_PREFIX NAME.png.
shot () {
  # Let the last frame settle (transitions are 200–250 ms).
  sleep 0.8
  import -window root "$SCREENSHOT_DIR/$GUI_SHOT_PREFIX$1.png" || fail "screenshot $1 failed"
  echo "# screenshot: $SCREENSHOT_DIR/$GUI_SHOT_PREFIX$1.png"
}

focus () {
  xdotool windowfocus --sync "$1" >/dev/null 2>&1 || xdotool windowfocus "$1" || fail "cannot focus window $1"
  sleep 0.2
}

# show_page LETTER TITLE: in the Preferences window $PREFS, presses
# Alt+LETTER until the app says it shows the page TITLE. On a busy machine
# the first keys can arrive before the new window handles mnemonics. The
# app must run with tc-preferences-window in G_MESSAGES_DEBUG.
show_page () {
  local line="Showing the $2 page" before
  before=$(grep -cF -- "$line" "$LOG" 2>/dev/null)
  for _ in 1 2 3 4 5; do
    focus "$PREFS"
    xdotool key --clearmodifiers "alt+$1"
    for _ in $(seq 20); do
      [ "$(grep -cF -- "$line" "$LOG" 2>/dev/null)" -gt "$before" ] && { sleep 0.3; return 0; }
      sleep 0.1
    done
  done
  fail "Alt+$1 never showed the $2 page of Preferences"
}

# wait_log TEXT [SECONDS]: waits until textcast's output has a line with
# TEXT (its g_debug lines, with G_MESSAGES_DEBUG set by the test).
wait_log () {
  local text=$1 seconds=${2:-15}
  for _ in $(seq $((seconds * 10))); do
    grep -qF -- "$text" "$LOG" 2>/dev/null && return 0
    kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited while waiting for “$text” in its output"
    sleep 0.1
  done
  fail "textcast never said “$text” in ${seconds}s"
}

# log_count TEXT: how many lines of textcast's output hold TEXT.
log_count () {
  grep -cF -- "$1" "$LOG" 2>/dev/null
}

# wait_more TEXT BEFORE [SECONDS]: waits until more than BEFORE lines of
# textcast's output hold TEXT (BEFORE from log_count, taken before the
# action that should make it say TEXT again).
wait_more () {
  local text=$1 before=$2 seconds=${3:-15}
  for _ in $(seq $((seconds * 10))); do
    [ "$(log_count "$text")" -gt "$before" ] && return 0
    kill -0 "$APP_PID" 2>/dev/null || fail "textcast exited while waiting for “$text”"
    sleep 0.1
  done
  fail "textcast never said “$text” (again) in ${seconds}s"
}

# outbox_count STATE: how many outbox rows are in STATE.
outbox_count () {
  sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM outbox WHERE state = '$1'" 2>/dev/null
}

count_contacts () {
  sqlite3 "file:$DB?mode=ro" 'SELECT count(*) FROM contacts' 2>/dev/null
}
