#!/usr/bin/python3
# fake-portal.py OUT: the desktop portal's Background interface
# (org.freedesktop.portal.Background on org.freedesktop.portal.Desktop,
# as xdg-desktop-portal provides it) on the session bus. Each
# RequestBackground call is written to OUT as a line of JSON ({"parent":
# …, "options": {…}}) and answered with the Request's Response signal:
# autostart as asked, except for the parent windows "x11:deny" (the
# person refused: autostart false), "x11:dismiss" (the dialog was closed:
# response 1) and "x11:oldpath" (a portal older than 0.9, which ignores
# handle_token and picks its own request path). Writes "ready" to
# OUT.ready once it owns the name.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

from gi.repository import Gio, GLib

INTERFACE = """
<node>
  <interface name="org.freedesktop.portal.Background">
    <method name="RequestBackground">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <property name="version" type="u" access="read"/>
  </interface>
</node>
"""

out_path = sys.argv[1]
counter = [0]


def respond(connection, sender, path, response, results):
    connection.emit_signal(sender, path, "org.freedesktop.portal.Request", "Response",
                           GLib.Variant("(ua{sv})", (response, results)))
    return GLib.SOURCE_REMOVE


def on_call(connection, sender, path, interface, method, parameters, invocation):
    if method != "RequestBackground":
        invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)
        return
    parent, options = parameters.unpack()
    with open(out_path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"parent": parent, "options": options}) + "\n")
    counter[0] += 1
    if parent == "x11:oldpath":
        handle = "/org/freedesktop/portal/desktop/request/old/%d" % counter[0]
    else:
        handle = "/org/freedesktop/portal/desktop/request/%s/%s" % (
            sender[1:].replace(".", "_"), options.get("handle_token", "t%d" % counter[0]))
    invocation.return_value(GLib.Variant("(o)", (handle,)))
    if parent == "x11:dismiss":
        response, results = 1, {}
    elif parent == "x11:deny":
        response, results = 0, {"background": GLib.Variant("b", True), "autostart": GLib.Variant("b", False)}
    else:
        response, results = 0, {"background": GLib.Variant("b", True),
                                "autostart": GLib.Variant("b", bool(options.get("autostart", False)))}
    # The answer comes after the reply, as the real portal's does.
    GLib.timeout_add(50, respond, connection, sender, handle, response, results)


def on_get_property(connection, sender, path, interface, name):
    return GLib.Variant("u", 2)


def on_bus(connection, name):
    node = Gio.DBusNodeInfo.new_for_xml(INTERFACE)
    connection.register_object("/org/freedesktop/portal/desktop", node.interfaces[0], on_call,
                               on_get_property, None)


def on_name(connection, name):
    with open(out_path + ".ready", "w", encoding="utf-8") as ready:
        ready.write("ready\n")


Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.portal.Desktop", Gio.BusNameOwnerFlags.NONE,
                 on_bus, on_name, lambda *args: sys.exit(1))
GLib.MainLoop().run()
