#!/usr/bin/python3
# fake-notifications.py OUT: a desktop notification server on the session
# bus (org.freedesktop.Notifications, as GNOME Shell provides it) that
# writes each notification it is given to OUT, one line of JSON each
# ({"id": …, "summary": …, "body": …, "actions": […], "urgency": 0–2}),
# and shows nothing. Writes "ready" to OUT.ready once it owns the name.
#
# For tests, one more method plays the person clicking a button:
# InvokeAction(u id, s action) emits ActionInvoked(id, action), as the
# shell does (the action is the button's key from "actions", such as
# "app.quit", or "default").
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

from gi.repository import Gio, GLib

INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <method name="InvokeAction"><arg type="u" direction="in"/><arg type="s" direction="in"/></method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
</node>
"""

out_path = sys.argv[1]
counter = [0]


def on_call(connection, sender, path, interface, method, parameters, invocation):
    if method == "Notify":
        _, replaces, _, summary, body, actions, hints, _ = parameters.unpack()
        counter[0] += 1
        notify_id = replaces or counter[0]
        with open(out_path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"id": notify_id, "summary": summary, "body": body, "actions": actions,
                                  "urgency": hints.get("urgency", 1)}) + "\n")
        invocation.return_value(GLib.Variant("(u)", (notify_id,)))
    elif method == "InvokeAction":
        notify_id, action = parameters.unpack()
        connection.emit_signal(None, path, interface, "ActionInvoked", GLib.Variant("(us)", (notify_id, action)))
        invocation.return_value(None)
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["body", "actions"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("fake", "textcast-tests", "1", "1.2")))
    else:
        invocation.return_value(None)


def on_bus(connection, name):
    node = Gio.DBusNodeInfo.new_for_xml(INTERFACE)
    connection.register_object("/org/freedesktop/Notifications", node.interfaces[0], on_call, None, None)


def on_name(connection, name):
    with open(out_path + ".ready", "w", encoding="utf-8") as ready:
        ready.write("ready\n")


Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.Notifications", Gio.BusNameOwnerFlags.NONE,
                 on_bus, on_name, lambda *args: sys.exit(1))
GLib.MainLoop().run()
