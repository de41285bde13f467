#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check every translation listed in po/LINGUAS: valid for msgfmt, plural forms right.

Usage: check-catalogues.py PO_DIR MSGFMT [MSGINIT]

For each language in LINGUAS:
  - LANG.po exists and its header says "Language: LANG";
  - `msgfmt --check` accepts it (header, C format strings against the msgids, the number of
    plural forms against the header's nplurals, a plural expression within range);
  - its Plural-Forms header is the one gettext knows for the language (asked from msginit,
    when given and when it knows the language);
  - every plural message is either untranslated or has all nplurals forms filled in.
Every .po in PO_DIR must also be listed in LINGUAS, so that none is left out of the build.

Completeness is not checked: a catalogue with messages still untranslated (new strings in the
code) is valid, and the app shows those in English.
"""

import os
import re
import subprocess
import sys
import tempfile


def unquote(text):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), text)


def read_entries(path):
    """The catalogue's entries as dicts: 'msgid', 'msgid_plural', 'msgstr' (a list), 'fuzzy'."""
    entries = []
    entry = None
    key = None

    def finish():
        if entry is not None and 'msgid' in entry:
            entries.append(entry)

    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            if line.startswith('#~'):
                continue  # obsolete entries are not compiled
            if line.startswith('#'):
                if entry is not None and 'msgid' in entry:
                    finish()
                    entry = None
                if entry is None:
                    entry = {'msgstr': [], 'fuzzy': False}
                if line.startswith('#,'):
                    entry['fuzzy'] |= any(flag.strip() == 'fuzzy' for flag in line[2:].split(','))
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
            if m:
                word, index, text = m.group(1), m.group(2), unquote(m.group(3))
                if word in ('msgctxt', 'msgid') and entry is not None and 'msgid' in entry:
                    finish()
                    entry = None
                if entry is None:
                    entry = {'msgstr': [], 'fuzzy': False}
                if word.startswith('msgstr'):
                    entry['msgstr'].append(text)
                    key = ('msgstr', len(entry['msgstr']) - 1)
                else:
                    entry[word] = text
                    key = (word, None)
                continue
            m = re.match(r'^"(.*)"$', line)
            if m and key is not None and entry is not None:
                word, index = key
                if word == 'msgstr':
                    entry['msgstr'][index] += unquote(m.group(1))
                else:
                    entry[word] += unquote(m.group(1))
                continue
            raise ValueError(f'{path}:{number}: cannot read this line: {line}')
    finish()
    return entries


def header_field(header, name):
    for line in header.split('\n'):
        if line.lower().startswith(name.lower() + ':'):
            return line.split(':', 1)[1].strip()
    return None


def normalise(plural_forms):
    return re.sub(r'\s+', '', plural_forms or '').rstrip(';')


def known_plural_forms(msginit, lang):
    """The Plural-Forms gettext's msginit writes for LANG, or None if it knows none."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'empty.pot')
        with open(pot, 'w', encoding='utf-8') as f:
            f.write('msgid ""\nmsgstr ""\n'
                    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n')
        result = subprocess.run([msginit, '--no-translator', '--locale', lang, '--input', pot,
                                 '--output-file', '-'],
                                capture_output=True, text=True, cwd=tmp)
    if result.returncode != 0:
        return None
    entries = read_entries_from_text(result.stdout)
    forms = header_field(entries[0]['msgstr'][0], 'Plural-Forms') if entries else None
    if forms is None or 'INTEGER' in forms:
        return None
    return forms


def read_entries_from_text(text):
    with tempfile.NamedTemporaryFile('w', suffix='.po', encoding='utf-8', delete=False) as f:
        f.write(text)
        name = f.name
    try:
        return read_entries(name)
    finally:
        os.unlink(name)


def check(po_dir, msgfmt, msginit):
    problems = []
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        linguas = [word for line in f if not line.lstrip().startswith('#') for word in line.split()]

    if not linguas:
        problems.append('LINGUAS lists no language')
    for name in sorted(os.listdir(po_dir)):
        if name.endswith('.po') and name[:-3] not in linguas:
            problems.append(f'{name} is not listed in LINGUAS, so it is neither built nor installed')

    for lang in linguas:
        path = os.path.join(po_dir, lang + '.po')
        if not os.path.exists(path):
            problems.append(f'LINGUAS lists {lang}, but there is no {lang}.po')
            continue

        result = subprocess.run([msgfmt, '--check', '--output-file', os.devnull, path],
                                capture_output=True, text=True)
        if result.returncode != 0:
            problems.append(f'msgfmt --check rejects {lang}.po:\n{result.stderr.strip()}')

        entries = read_entries(path)
        headers = [e for e in entries if e['msgid'] == '' and 'msgctxt' not in e]
        if not headers:
            problems.append(f'{lang}.po has no header entry')
            continue
        header = headers[0]['msgstr'][0] if headers[0]['msgstr'] else ''
        if header_field(header, 'Language') != lang:
            problems.append(f'{lang}.po says "Language: {header_field(header, "Language")}", '
                            f'not {lang}')

        forms = header_field(header, 'Plural-Forms')
        match = re.search(r'nplurals\s*=\s*(\d+)', forms or '')
        if match is None:
            problems.append(f'{lang}.po has no "Plural-Forms: nplurals=N; plural=…" header')
            continue
        nplurals = int(match.group(1))
        expected = known_plural_forms(msginit, lang) if msginit else None
        if expected is not None and normalise(expected) != normalise(forms):
            problems.append(f'{lang}.po has "Plural-Forms: {forms}", but the plural forms of '
                            f'{lang} are "{expected}"')

        for e in entries:
            if 'msgid_plural' not in e:
                continue
            filled = [s for s in e['msgstr'] if s != '']
            if len(e['msgstr']) != nplurals:
                problems.append(f'{lang}.po: “{e["msgid"]}” has {len(e["msgstr"])} plural forms, '
                                f'not {nplurals}')
            elif filled and len(filled) != nplurals and not e['fuzzy']:
                problems.append(f'{lang}.po: “{e["msgid"]}” has only {len(filled)} of its '
                                f'{nplurals} plural forms translated')
    return problems


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    po_dir, msgfmt = sys.argv[1], sys.argv[2]
    msginit = sys.argv[3] if len(sys.argv) == 4 else None
    problems = check(po_dir, msgfmt, msginit)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print('every catalogue in LINGUAS is valid, with the right plural forms')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
