#!/usr/bin/env python3
# fake-twilio.py FOLDER: a stand-in for Twilio's REST API on 127.0.0.1 (a
# free port, written to FOLDER/port) that refuses every request the way
# Twilio refuses a wrong Account SID or auth token: 401 with Twilio's JSON
# error 20003. Each request is written down in FOLDER/requests (method and
# path, one a line).
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later

import http.server
import json
import os
import sys

folder = sys.argv[1]


class Refusing(http.server.BaseHTTPRequestHandler):
    def refuse(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        with open(os.path.join(folder, "requests"), "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        body = json.dumps({
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        }).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("WWW-Authenticate", 'Basic realm="Twilio API"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = refuse
    do_POST = refuse

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Refusing)
with open(os.path.join(folder, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
server.serve_forever()
