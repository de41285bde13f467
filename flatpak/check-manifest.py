#!/usr/bin/env python3
# check-manifest.py MANIFEST: checks the Flatpak manifest offline, as the test
# suite's `flatpak-manifest` test: flatpak-builder reads it (--show-manifest,
# which needs no network and no runtime), and what it read keeps the rules of
# HACKING.md "Flatpak": a stable GNOME runtime pinned by version; the minimal
# sandbox (network, ipc, wayland, fallback-x11, dri — files through portals);
# every downloaded source over https and pinned by sha256 (a git source by
# commit); the libraries the runtime lacks bundled (libphonenumber and what it
# needs); Textcast itself built with meson and its tests run.
# Exit status 0 when it holds, 1 with every problem listed, 77 (skip) when
# flatpak-builder is not installed.
#
# SPDX-FileCopyrightText: 2026 The Textcast authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import re
import shutil
import subprocess
import sys

ALLOWED_FINISH_ARGS = {"--share=network", "--share=ipc", "--socket=wayland",
                       "--socket=fallback-x11", "--device=dri"}
REQUIRED_MODULES = {"libphonenumber", "protobuf", "abseil", "libcsv", "textcast"}


def main():
    path = sys.argv[1]
    if shutil.which("flatpak-builder") is None:
        print("SKIP: flatpak-builder is not installed")
        return 77
    shown = subprocess.run(["flatpak-builder", "--show-manifest", path],
                           capture_output=True, text=True)
    if shown.returncode != 0:
        print("flatpak-builder cannot read %s: %s" % (path, shown.stderr.strip()))
        return 1
    manifest = json.loads(shown.stdout)
    problems = []

    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("the runtime is not org.gnome.Platform with org.gnome.Sdk")
    if not re.fullmatch(r"\d+(\.\d+)?", str(manifest.get("runtime-version", ""))):
        problems.append("runtime-version %r is not a pinned stable version" % manifest.get("runtime-version"))
    extra = set(manifest.get("finish-args", [])) - ALLOWED_FINISH_ARGS
    if extra:
        problems.append("finish-args beyond the minimal sandbox: %s" % ", ".join(sorted(extra)))
    missing = ALLOWED_FINISH_ARGS - set(manifest.get("finish-args", []))
    if missing:
        problems.append("finish-args missing: %s" % ", ".join(sorted(missing)))

    names = set()
    for module in manifest.get("modules", []):
        if isinstance(module, str):
            problems.append("module %s is a separate file: keep the manifest in one file" % module)
            continue
        name = module.get("name", "?")
        names.add(name)
        for source in module.get("sources", []):
            kind = source.get("type")
            if kind in ("archive", "file"):
                url = source.get("url", "")
                if not url.startswith("https://"):
                    problems.append("%s: source %s is not fetched over https" % (name, url or "(no url)"))
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    problems.append("%s: source %s is not pinned by sha256" % (name, url))
            elif kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                    problems.append("%s: git source %s is not pinned by commit" % (name, source.get("url")))
            elif kind == "dir":
                if name != "textcast":
                    problems.append("%s: a local directory source outside Textcast itself" % name)
            else:
                problems.append("%s: source of type %s" % (name, kind))
    for needed in sorted(REQUIRED_MODULES - names):
        problems.append("module %s is missing" % needed)

    textcast = [m for m in manifest.get("modules", []) if isinstance(m, dict) and m.get("name") == "textcast"]
    if textcast:
        if textcast[-1].get("buildsystem") != "meson":
            problems.append("textcast is not built with meson")
        if not textcast[-1].get("run-tests"):
            problems.append("textcast's tests are not run (run-tests)")
        if manifest.get("modules", [])[-1] is not textcast[-1]:
            problems.append("textcast is not the last module")

    for problem in problems:
        print("problem: " + problem)
    print("%s: %d modules, %d problems" % (path, len(manifest.get("modules", [])), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
