#!/usr/bin/env python3
"""mkevtx.py - writes a small, valid Windows XML Event Log (.evtx) file for tests.

The layout follows Joachim Metz's "Windows XML Event Log (EVTX) format" (libevtx): a 4 KiB file
header with its CRC32, 64 KiB chunks whose headers carry the CRC32 of the header and of the event
records, and records whose Binary XML uses plain tokens only (fragment header, open/close element,
attribute, string value, end of stream) with every name written inline; no templates.

Usage: mkevtx.py OUT.evtx [--per-chunk N] [--repeat N]
The events: 4625 (failed RDP logon), 4624, 4720, 4732, 1102 (UserData) and Defender 1116.
"""
import argparse
import struct
import zlib

CHUNK = 65536
CHUNK_HDR = 512
NS = "http://schemas.microsoft.com/win/2004/08/events/event"


def name_hash(s):
    h = 0
    for ch in s:
        h = (h * 65599 + ord(ch)) & 0xFFFFFFFF
    return h & 0xFFFF


class Bxml:
    """Builds Binary XML at a known offset inside its chunk (names are chunk-relative)."""

    def __init__(self, base):
        self.base = base  # chunk offset of the first byte written
        self.b = bytearray()

    def pos(self):
        return self.base + len(self.b)

    def name(self, s):
        # offset field pointing just past itself: the name follows inline
        self.b += struct.pack("<I", self.pos() + 4)
        self.b += struct.pack("<IHH", 0, name_hash(s), len(s))
        self.b += s.encode("utf-16-le") + b"\0\0"

    def value(self, text):
        t = text.encode("utf-16-le")
        self.b += struct.pack("<BBH", 0x05, 0x01, len(text)) + t

    def element(self, tag, attrs=(), children=None, text=None):
        """children: list of (tag, attrs, children, text) tuples."""
        start = len(self.b)
        self.b += struct.pack("<BHI", 0x41 if attrs else 0x01, 0xFFFF, 0)
        size_at = start + 3
        self.name(tag)
        if attrs:
            list_at = len(self.b)
            self.b += b"\0\0\0\0"
            for i, (k, v) in enumerate(attrs):
                self.b.append(0x46 if i + 1 < len(attrs) else 0x06)
                self.name(k)
                self.value(v)
            struct.pack_into("<I", self.b, list_at, len(self.b) - list_at - 4)
        if not children and text is None:
            self.b.append(0x03)  # close empty element
        else:
            self.b.append(0x02)  # close start element
            if text is not None:
                self.value(text)
            for c in children or ():
                self.element(*c)
            self.b.append(0x04)  # end element
        struct.pack_into("<I", self.b, size_at, len(self.b) - (start + 7))


def leaf(tag, text, attrs=()):
    return (tag, list(attrs), None, text)


def data(name, text):
    return leaf("Data", text, [("Name", name)])


def event(ev):
    system = [
        ("Provider", [("Name", ev["provider"])], None, None),
        leaf("EventID", str(ev["id"])),
        leaf("Level", "0"),
        ("TimeCreated", [("SystemTime", ev["time"])], None, None),
        leaf("EventRecordID", str(ev["rid"])),
        leaf("Channel", ev["channel"]),
        leaf("Computer", ev["computer"]),
    ]
    body = [("System", [], system, None)]
    if "userdata" in ev:
        tag, fields = ev["userdata"]
        body.append(("UserData", [], [(tag, [("xmlns", "http://manifests.microsoft.com/win/2004/08/windows/eventlog")],
                                       [leaf(k, v) for k, v in fields], None)], None))
    else:
        body.append(("EventData", [], [data(k, v) for k, v in ev["data"]], None))
    return ("Event", [("xmlns", NS)], body, None)


def filetime(iso):
    import datetime
    d = datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    frac = iso[20:-1] if len(iso) > 20 else "0"
    ticks = int((frac + "0000000")[:7])
    epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
    return int((d - epoch).total_seconds()) * 10000000 + ticks


def record(chunk_off, rid, ev):
    x = Bxml(chunk_off + 24)
    x.b += bytes([0x0F, 0x01, 0x01, 0x00])  # fragment header
    x.element(*event(ev))
    x.b.append(0x00)  # end of stream
    size = 24 + len(x.b) + 4
    return struct.pack("<4sIQQ", b"**\0\0", size, rid, filetime(ev["time"])) + bytes(x.b) + struct.pack("<I", size)


SEC = "Microsoft-Windows-Security-Auditing"


def events(computer="PC01"):
    e = [
        dict(id=4625, provider=SEC, channel="Security", time="2026-10-22T10:41:00.1234567Z",
             data=[("SubjectUserSid", "S-1-0-0"), ("SubjectUserName", "-"), ("TargetUserName", "administrator"),
                   ("TargetDomainName", "PC01"), ("Status", "0xc000006d"), ("SubStatus", "0xc000006a"),
                   ("LogonType", "10"), ("WorkstationName", "ATTACKER"), ("IpAddress", "203.0.113.7"),
                   ("IpPort", "51234")]),
        dict(id=4624, provider=SEC, channel="Security", time="2026-10-22T10:42:10.5000000Z",
             data=[("TargetUserName", "giaovien"), ("TargetDomainName", "PC01"), ("LogonType", "2"),
                   ("IpAddress", "127.0.0.1"), ("IpPort", "0")]),
        dict(id=4720, provider=SEC, channel="Security", time="2026-10-22T10:43:00.0000000Z",
             data=[("TargetUserName", "backdoor"), ("TargetDomainName", "PC01"),
                   ("TargetSid", "S-1-5-21-1-2-3-1005"), ("SubjectUserName", "giaovien")]),
        dict(id=4732, provider=SEC, channel="Security", time="2026-10-22T10:43:05.0000000Z",
             data=[("MemberName", "-"), ("MemberSid", "S-1-5-21-1-2-3-1005"), ("TargetUserName", "Administrators"),
                   ("TargetDomainName", "Builtin"), ("SubjectUserName", "giaovien")]),
        dict(id=1102, provider="Microsoft-Windows-Eventlog", channel="Security",
             time="2026-10-22T10:44:00.0000000Z",
             userdata=("LogFileCleared", [("SubjectUserSid", "S-1-5-21-1-2-3-1001"),
                                          ("SubjectUserName", "giaovien"), ("SubjectDomainName", "PC01"),
                                          ("SubjectLogonId", "0x1d2e3")])),
        dict(id=1116, provider="Microsoft-Windows-Windows Defender",
             channel="Microsoft-Windows-Windows Defender/Operational", time="2026-10-22T10:45:00.0000000Z",
             data=[("Product Name", "Microsoft Defender Antivirus"), ("Threat Name", "Trojan:Win32/Wacatac.B!ml"),
                   ("Severity Name", "Severe"), ("Path", "file:_C:\\Users\\giaovien\\Downloads\\setup.exe"),
                   ("Action Name", "Not Applicable"), ("Detection User", "PC01\\giaovien")]),
    ]
    for ev in e:
        ev["computer"] = computer
    return e


def chunk(first_rid, evs):
    body = bytearray()
    last_off = CHUNK_HDR
    for i, ev in enumerate(evs):
        ev = dict(ev, rid=first_rid + i)
        last_off = CHUNK_HDR + len(body)
        body += record(last_off, first_rid + i, ev)
    if CHUNK_HDR + len(body) > CHUNK:
        raise SystemExit("mkevtx: too many events for one chunk")
    last = first_rid + len(evs) - 1
    hdr = bytearray(CHUNK_HDR)
    struct.pack_into("<8sQQQQIII", hdr, 0, b"ElfChnk\0", first_rid, last, first_rid, last, 128,
                     last_off, CHUNK_HDR + len(body))
    struct.pack_into("<I", hdr, 52, zlib.crc32(bytes(body)))
    struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120]) + bytes(hdr[128:512])))
    return bytes(hdr) + bytes(body) + bytes(CHUNK - CHUNK_HDR - len(body))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--per-chunk", type=int, default=6, help="events per chunk")
    ap.add_argument("--repeat", type=int, default=1, help="write the six events N times")
    a = ap.parse_args()
    evs = events() * a.repeat
    chunks = []
    rid = 1
    for i in range(0, len(evs), a.per_chunk):
        part = evs[i:i + a.per_chunk]
        chunks.append(chunk(rid, part))
        rid += len(part)
    hdr = bytearray(4096)
    struct.pack_into("<8sQQQIHHHH", hdr, 0, b"ElfFile\0", 0, len(chunks) - 1, rid, 128, 1, 3, 4096, len(chunks))
    struct.pack_into("<I", hdr, 120, 0)  # flags: clean
    struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120])))
    with open(a.out, "wb") as f:
        f.write(bytes(hdr))
        for c in chunks:
            f.write(c)


if __name__ == "__main__":
    main()
