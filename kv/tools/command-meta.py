#!/usr/bin/env python3
"""Writes the COMMAND INFO metadata of a running redis-server 7.0 as the server's resource file.

usage: redis-server --port 7411 --save '' --appendonly no --daemonize yes
       python3 kv/tools/command-meta.py 7411 > kv/src/main/resources/io/github/jglommio/kv/server/command-info.txt

The file lists, per command and subcommand (a subcommand follows its parent, in the order Redis
reports them), what COMMAND INFO tells a client about the interface: arity, flags, key positions,
ACL categories, tips and key specifications. It is the protocol's data, as COMMAND INFO sends it;
see CommandInfo.java for how the server reads it. One line per command, tab-separated fields:

    name  arity  flags  first,last,step  acl-categories  tips  key-spec...

flags, categories and tips are space-separated (empty: none). Each key spec is
    flags|begin-search|find-keys[|notes]
with begin-search  index:POS | keyword:KEYWORD,STARTFROM | unknown
and  find-keys     range:LASTKEY,STEP,LIMIT | keynum:KEYNUMIDX,FIRSTKEY,STEP | unknown
"""
import socket
import sys


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def call(self, *args):
        req = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            req += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(req)
        return self.reply()

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.s.recv(1 << 20)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self.line()
        t, rest = line[:1], line[1:]
        if t in (b"+", b"-"):
            return rest.decode()
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.s.recv(1 << 20)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode()
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise ValueError(line)


def pairs(flat):
    return dict(zip(flat[::2], flat[1::2]))


def spec_text(spec):
    d = pairs(spec)
    bs = pairs(d["begin_search"])
    fk = pairs(d["find_keys"])
    b = bs["type"]
    if b == "index":
        b = "index:%d" % pairs(bs["spec"])["index"]
    elif b == "keyword":
        k = pairs(bs["spec"])
        b = "keyword:%s,%d" % (k["keyword"], k["startfrom"])
    f = fk["type"]
    if f == "range":
        k = pairs(fk["spec"])
        f = "range:%d,%d,%d" % (k["lastkey"], k["keystep"], k["limit"])
    elif f == "keynum":
        k = pairs(fk["spec"])
        f = "keynum:%d,%d,%d" % (k["keynumidx"], k["firstkey"], k["keystep"])
    parts = [",".join(d["flags"]), b, f]
    if "notes" in d:
        parts.append(d["notes"])
    return "|".join(parts)


def emit(entry, out):
    name, arity, flags, first, last, step, acl, tips, specs, subs = entry
    fields = [name, str(arity), " ".join(flags), "%d,%d,%d" % (first, last, step), " ".join(acl), " ".join(tips)]
    fields += [spec_text(s) for s in specs]
    out.append("\t".join(fields))
    for s in subs:
        emit(s, out)


def main():
    c = Conn(int(sys.argv[1]))
    version = pairs([x for l in c.call("INFO", "server").split("\r\n") if ":" in l for x in l.split(":", 1)])
    out = ["# COMMAND INFO of redis-server " + version["redis_version"] + " (kv/tools/command-meta.py)"]
    for entry in sorted(c.call("COMMAND"), key=lambda e: e[0]):
        emit(entry, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
