#!/bin/sh
# Checks every catalogue listed in LINGUAS with msgfmt: a valid header with its Plural-Forms,
# every msgid_plural with as many forms as the language has, format directives (%s, %d, %'d, …)
# that match the English, and one mnemonic underscore where the English has one. Completeness
# is not checked: new strings that nobody has translated yet do not fail it.
#
# Usage: check-catalogues.sh PO_DIR MSGFMT

set -u

podir=$1
msgfmt=$2
status=0
langs=$(sed -e 's/#.*//' "$podir/LINGUAS")

if [ -z "$(echo $langs)" ]; then
  echo "$podir/LINGUAS lists no language"
  exit 1
fi

for lang in $langs; do
  po="$podir/$lang.po"
  if [ ! -f "$po" ]; then
    echo "$lang is listed in LINGUAS, but $po does not exist"
    status=1
    continue
  fi
  if ! grep -q '^"Plural-Forms: nplurals=[0-9][0-9]*; *plural=' "$po"; then
    echo "$po has no Plural-Forms header (such as \"nplurals=2; plural=(n != 1);\")"
    status=1
  fi
  printf '%s: ' "$po"
  if ! "$msgfmt" --check --check-accelerators=_ --statistics -o /dev/null "$po" 2>&1; then
    status=1
  fi
done

# A catalogue that LINGUAS leaves out is never built or installed.
for po in "$podir"/*.po; do
  [ -e "$po" ] || continue
  lang=$(basename "$po" .po)
  listed=no
  for l in $langs; do
    [ "$l" = "$lang" ] && listed=yes
  done
  if [ $listed = no ]; then
    echo "$po is not listed in $podir/LINGUAS, so it is never built"
    status=1
  fi
done

exit $status
