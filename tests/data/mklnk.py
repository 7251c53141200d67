#!/usr/bin/env python3
"""mklnk.py - writes Windows shortcut (.lnk) files as [MS-SHLLINK] lays them out, for tests.

usage: mklnk.py OUT.lnk --target 'C:\\Windows\\System32\\cmd.exe' [--linkinfo] [--args ARGS]
                [--rel REL] [--workdir DIR] [--icon ICON] [--ansi] [--show 7]
With --linkinfo the target goes into LinkInfo's LocalBasePath (Windows-1258 bytes); otherwise
into a LinkTargetIDList of a My Computer item, a drive item and file-entry items (each with a
0xBEEF0004 extension block, version 9, holding the long name). Strings are UTF-16LE unless
--ansi (Windows-1258)."""
import argparse
import struct

CLSID_LINK = bytes.fromhex("0114020000000000c000000000000046")
CLSID_MYCOMPUTER = bytes.fromhex("e04fd020ea3a6910a2d808002b30309d")


def file_entry(name):
    short = name.upper().encode("cp1258", "replace")[:12] + b"\0"
    if len(short) % 2:
        short += b"\0"
    head = struct.pack("<BBIIH", 0x32, 0, 0, 0, 0x20)  # type, unknown, size, date, attrs
    long_name = name.encode("utf-16-le") + b"\0\0"
    blk = struct.pack("<HHI", 0, 9, 0xBEEF0004) + bytes(0x2E - 8) + long_name + b"\0\0"
    blk = struct.pack("<H", len(blk)) + blk[2:]
    body = head + short + blk + struct.pack("<H", 2 + len(head) + len(short))
    return struct.pack("<H", 2 + len(body)) + body


def idlist(target):
    drive, rest = target[:3], target[3:]
    items = [struct.pack("<HBB", 20, 0x1F, 0x50) + CLSID_MYCOMPUTER]
    d = struct.pack("<B", 0x2F) + drive.encode("ascii") + bytes(25 - 2 - 1 - 3)
    items.append(struct.pack("<H", 25) + d)
    for part in [p for p in rest.split("\\") if p]:
        items.append(file_entry(part))
    body = b"".join(items) + b"\0\0"
    return struct.pack("<H", len(body)) + body


def linkinfo(target):
    vol = struct.pack("<IIII", 0x11, 3, 0x12345678, 0x10) + b"\0"
    base = target.encode("cp1258") + b"\0"
    hsize = 0x1C
    off_vol = hsize
    off_base = off_vol + len(vol)
    off_suffix = off_base + len(base)
    body = vol + base + b"\0"
    size = hsize + len(body)
    head = struct.pack("<IIIIIII", size, hsize, 1, off_vol, off_base, 0, off_suffix)
    return head + body


def string_data(s, unicode):
    if unicode:
        return struct.pack("<H", len(s.encode("utf-16-le")) // 2) + s.encode("utf-16-le")
    b = s.encode("cp1258")
    return struct.pack("<H", len(b)) + b


def build(target=None, use_linkinfo=False, args=None, rel=None, workdir=None, icon=None,
          name=None, unicode=True, show=1):
    flags = 0
    parts = []
    if target and not use_linkinfo:
        flags |= 0x1
        parts.append(idlist(target))
    if target and use_linkinfo:
        flags |= 0x2
        parts.append(linkinfo(target))
    for bit, val in ((0x4, name), (0x8, rel), (0x10, workdir), (0x20, args), (0x40, icon)):
        if val is not None:
            flags |= bit
            parts.append(string_data(val, unicode))
    if unicode:
        flags |= 0x80
    header = struct.pack("<I16sIIQQQIiIHHII", 0x4C, CLSID_LINK, flags, 0x20, 0, 0, 0, 0, 0,
                         show, 0, 0, 0, 0)
    assert len(header) == 0x4C
    return header + b"".join(parts) + b"\0\0\0\0"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--target")
    ap.add_argument("--linkinfo", action="store_true")
    ap.add_argument("--args")
    ap.add_argument("--rel")
    ap.add_argument("--workdir")
    ap.add_argument("--icon")
    ap.add_argument("--name")
    ap.add_argument("--ansi", action="store_true")
    ap.add_argument("--show", type=int, default=1)
    a = ap.parse_args()
    data = build(a.target, a.linkinfo, a.args, a.rel, a.workdir, a.icon, a.name, not a.ansi,
                 a.show)
    with open(a.out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
