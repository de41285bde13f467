#!/usr/bin/env python3
# check-format-macros.py SRCDIR: fails when a translatable string is glued to
# a format macro such as G_GINT64_FORMAT. xgettext cannot read across the
# macro, so the catalogue gets the text up to the "%" and the message is
# never shown translated; write %lld / %llu / %zu with a cast instead.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later

import pathlib
import re
import sys

# _( / N_( / C_("ctx", / ngettext ( followed by string pieces and then a
# macro named like G_G…_FORMAT or PRI…, before the call closes.
PATTERN = re.compile(
    r'\b(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\(\s*(?:"(?:[^"\\]|\\.)*"\s*,\s*)?'
    r'(?:"(?:[^"\\]|\\.)*"\s*)*(G_G\w+_FORMAT|G_\w+_FORMAT|PRI[diouxX]\w*)')

root = pathlib.Path(sys.argv[1])
problems = []
for path in sorted(root.rglob('*')):
    if path.suffix not in ('.c', '.h', '.cc'):
        continue
    text = path.read_text(encoding='utf-8', errors='replace')
    for match in PATTERN.finditer(text):
        line = text.count('\n', 0, match.start()) + 1
        problems.append(f'{path.relative_to(root.parent)}:{line}: a translatable string '
                        f'uses {match.group(1)}; write %lld / %llu / %zu with a cast')

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
