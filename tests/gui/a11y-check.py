#!/usr/bin/python3
# a11y-check.py APP-NAME: reads the accessibility tree (AT-SPI) of the
# running application APP-NAME and checks every control a person can use —
# buttons, toggles, check boxes, entries, text fields, combo boxes, spin
# buttons, sliders, list items, tabs — in every window it has open,
# including pages not on screen: each has a role and a name a screen
# reader can say (not empty, not a widget class name such as
# "GtkMenuButton"), and each that can be used now can take the keyboard
# focus. Prints what it checked and every problem with the path to it;
# exit status 1 when there is one.
#
# Toolkit parts that GTK 4.8 and libadwaita 1.2 themselves leave unnamed
# are not ours to fix and are left out (see toolkit_part()).
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys
import time

import pyatspi

CONTROLS = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER, pyatspi.ROLE_MENU_ITEM,
    pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_PAGE_TAB,
}
CLASS_NAME = re.compile(r"^(Gtk|Adw|Tc)[A-Z][A-Za-z]+$")


def find_app(name):
    for _ in range(150):
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == name:
                return app
        time.sleep(0.2)
    return None


def describe(node):
    parts = []
    while node is not None and len(parts) < 7:
        try:
            parts.append("%s “%s”" % (node.getRoleName(), (node.name or "")[:30]))
            node = node.parent
        except Exception:
            break
    return " < ".join(parts)


def named_descendant(node, role, depth=3):
    try:
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is None:
                continue
            if child.getRole() == role and child.name:
                return True
            if depth > 0 and named_descendant(child, role, depth - 1):
                return True
    except Exception:
        pass
    return False


def toolkit_part(node):
    """What GTK 4.8 and libadwaita 1.2 build and leave unnamed themselves:
    a drop-down's own toggle and the rows of its pop-up list; an expander
    row's outer row (its inner row has the title); a password row's
    show-text button; the search entry of a preferences window."""
    try:
        if node.getRole() == pyatspi.ROLE_LIST_ITEM and not node.name and \
                named_descendant(node, pyatspi.ROLE_LIST_ITEM):
            return True
        if node.getRole() == pyatspi.ROLE_PUSH_BUTTON and node.name == "GtkImage" and \
                node.description == "Show Text":
            return True
        if node.getRole() == pyatspi.ROLE_ENTRY and node.name == "GtkSearchEntry":
            ancestor = node.parent
            for _ in range(12):
                if ancestor is None:
                    break
                if ancestor.getRole() == pyatspi.ROLE_FRAME:
                    return ancestor.name == "Preferences"
                ancestor = ancestor.parent
        parent = node.parent
        if node.getRole() in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON) and \
                parent is not None and parent.getRole() == pyatspi.ROLE_COMBO_BOX and parent.name:
            return True
        if node.getRole() == pyatspi.ROLE_LIST_ITEM:
            ancestor = parent
            for _ in range(5):
                if ancestor is None:
                    break
                if ancestor.getRole() == pyatspi.ROLE_COMBO_BOX:
                    return True
                ancestor = ancestor.parent
    except Exception:
        pass
    return False


def focusable(node, depth=0):
    """It, or the part of it that does (a menu button's or a drop-down's
    own toggle), takes the keyboard focus."""
    try:
        if node.getState().contains(pyatspi.STATE_FOCUSABLE):
            return True
        if depth < 2:
            for i in range(node.childCount):
                child = node.getChildAtIndex(i)
                if child is not None and focusable(child, depth + 1):
                    return True
    except Exception:
        pass
    return False


class Vanished(Exception):
    """An object went away from the bus while the walk was on it."""


def walk_app(app, strict):
    """Walks every window of @app: (controls checked by role, problems,
    whether an object vanished during the walk). Not @strict, an object
    that cannot be read is left out and the walk goes on."""
    checked = {}
    problems = []

    def walk(node, depth):
        try:
            role = node.getRole()
            role_name = node.getRoleName()
            states = node.getState()
            name = node.name or ""
            n_children = node.childCount
        except Exception as e:
            if not strict:
                return
            raise Vanished() from e
        if role in CONTROLS and states.contains(pyatspi.STATE_VISIBLE) and not toolkit_part(node):
            checked[role_name] = checked.get(role_name, 0) + 1
            if not name.strip():
                inside = []
                for j in range(min(n_children, 3)):
                    c = node.getChildAtIndex(j)
                    if c is not None:
                        inside.append("%s “%s” (%d)" % (c.getRoleName(), (c.name or "")[:20], c.childCount))
                problems.append("no name: " + describe(node) + (" — holds " + ", ".join(inside) if inside else ""))
            elif CLASS_NAME.match(name):
                problems.append("a class name for a name: " + describe(node) +
                                (" — “%s”" % node.description if node.description else ""))
            elif (role not in (pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_TEXT, pyatspi.ROLE_MENU_ITEM) and
                  states.contains(pyatspi.STATE_SENSITIVE) and not focusable(node)):
                problems.append("cannot take the keyboard focus: " + describe(node))
        for i in range(n_children):
            try:
                child = node.getChildAtIndex(i)
            except Exception as e:
                if not strict:
                    continue
                raise Vanished() from e
            if child is not None and depth < 60:
                walk(child, depth + 1)

    try:
        for i in range(app.childCount):
            window = app.getChildAtIndex(i)
            if window is not None:
                walk(window, 0)
    except Vanished:
        return checked, problems, True
    return checked, problems, False


def main():
    app = find_app(sys.argv[1])
    if app is None:
        print("no application “%s” on the accessibility bus" % sys.argv[1])
        return 1

    # A list that refreshes (the Inbox's, every few seconds) can take a row
    # away while the walk is on it: its object is gone from the bus. Such a
    # walk is done again from the start, so that nothing goes unchecked.
    # Should it keep changing, the last walk leaves out what it cannot read.
    for attempt in range(5):
        checked, problems, vanished = walk_app(app, strict=attempt < 4)
        if not vanished:
            break
        time.sleep(0.5)

    print("checked %d controls in %d windows: %s" % (sum(checked.values()), app.childCount,
                                                      ", ".join("%d %s" % (n, r) for r, n in sorted(checked.items()))))
    for problem in problems:
        print("problem: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
