#!/usr/bin/env python3
"""Writes the COMMAND DOCS resource: per command and subcommand, the version it came in, its group and
its doc flags as a running redis-server 7.0 reports them, with this project's own one-line summary
from kv/tools/command-summaries.txt (name TAB summary; written for this server, not taken from Redis).

usage: python3 kv/tools/command-docs.py 7411 > kv/src/main/resources/io/github/jglommio/kv/server/command-docs.txt

Format, one line per command or subcommand, tab-separated: name since group doc-flags summary
(doc-flags space-separated, empty: none).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import importlib.util

spec = importlib.util.spec_from_file_location("meta", os.path.join(os.path.dirname(__file__), "command-meta.py"))
meta = importlib.util.module_from_spec(spec)
spec.loader.exec_module(meta)


def main():
    c = meta.Conn(int(sys.argv[1]))
    summaries = {}
    with open(os.path.join(os.path.dirname(__file__), "command-summaries.txt")) as f:
        for line in f:
            name, text = line.rstrip("\n").split("\t", 1)
            summaries[name] = text
    docs = c.call("COMMAND", "DOCS")
    rows = []
    for i in range(0, len(docs), 2):
        e = meta.pairs(docs[i + 1])
        rows.append((docs[i], e))
        subs = e.get("subcommands", [])
        for j in range(0, len(subs), 2):
            rows.append((subs[j], meta.pairs(subs[j + 1])))
    out = ["# COMMAND DOCS data (kv/tools/command-docs.py): name since group doc-flags summary"]
    for name, e in sorted(rows):
        flags = " ".join(f for f in e.get("doc_flags", []))
        out.append("\t".join([name, e["since"], e["group"], flags, summaries.get(name, "")]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
