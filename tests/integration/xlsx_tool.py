#!/usr/bin/env python3
"""xlsx_tool.py - reads and edits XLSX sheets for the integration tests, with the standard
library only (zipfile + xml), the way a person edits a returned file in Excel.

  xlsx_tool.py rows FILE [--sheet NAME]             the sheet as a JSON list of rows (strings)
  xlsx_tool.py sheets FILE                          the sheet names, one per line
  xlsx_tool.py set FILE [--sheet NAME] REF=VALUE... set cells ("I9=3"; a plain integer is
                                                    written as a number, "'3" as text)
  xlsx_tool.py append FILE [--sheet NAME] V...      append a row after the last one
  xlsx_tool.py reorder FILE [--sheet NAME] A,C,B... new column order, as source column letters
  xlsx_tool.py insert-rows FILE [--sheet NAME] AT N insert N blank rows before row AT (1-based)

Edits rewrite the sheet's cell data (strings go to the shared strings table, as Excel does)
and keep every other part of the file. Merged cells are dropped by the structural edits.
Also importable: read_rows(), edit().
"""
import json
import re
import sys
import zipfile
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNS = "http://schemas.openxmlformats.org/package/2006/relationships"
import xml.etree.ElementTree as ET  # noqa: E402


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch.upper()) - 64)
    return n - 1


def col_letters(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def split_ref(ref):
    m = re.fullmatch(r"([A-Za-z]+)([0-9]+)", ref)
    if not m:
        raise ValueError("bad cell reference %r" % ref)
    return int(m.group(2)) - 1, col_index(m.group(1))


def _sheet_paths(z):
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iter("{%s}Relationship" % PNS)}
    out = []
    for s in wb.iter("{%s}sheet" % NS):
        t = target[s.get("{%s}id" % RNS)]
        t = t.lstrip("/") if t.startswith("/") else "xl/" + t
        out.append((s.get("name"), t))
    return out


def _shared(z):
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = ET.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter("{%s}t" % NS)) for si in root.iter("{%s}si" % NS)]


def _num_text(v):
    f = float(v)
    return str(int(f)) if f == int(f) else repr(f)


def _grid(z, path, sst):
    """{(row, col): value}; value is str (text) or float (number)."""
    root = ET.fromstring(z.read(path))
    g = {}
    for c in root.iter("{%s}c" % NS):
        r, k = split_ref(c.get("r"))
        t = c.get("t", "n")
        v = c.find("{%s}v" % NS)
        if t == "s":
            g[(r, k)] = sst[int(v.text)]
        elif t == "inlineStr":
            g[(r, k)] = "".join(x.text or "" for x in c.iter("{%s}t" % NS))
        elif v is not None and v.text is not None:
            g[(r, k)] = v.text if t in ("str", "b", "e") else float(v.text)
    return g


def _pick(z, sheet):
    paths = _sheet_paths(z)
    for name, p in paths:
        if sheet is None or name == sheet:
            return name, p
    raise KeyError("no sheet %r" % sheet)


def read_rows(path, sheet=None):
    """The sheet as a list of rows, each a list of strings ("" for blank cells)."""
    with zipfile.ZipFile(path) as z:
        _, p = _pick(z, sheet)
        g = _grid(z, p, _shared(z))
    nr = max((r for r, _ in g), default=-1) + 1
    nc = max((c for _, c in g), default=-1) + 1
    rows = [["" for _ in range(nc)] for _ in range(nr)]
    for (r, c), v in g.items():
        rows[r][c] = _num_text(v) if isinstance(v, float) else v
    return rows


def _sheet_xml(old, g, sst, sidx):
    cells = {}
    for (r, c), v in g.items():
        if v == "" or v is None:
            continue
        cells.setdefault(r, []).append((c, v))
    out = []
    for r in sorted(cells):
        out.append('<row r="%d">' % (r + 1))
        for c, v in sorted(cells[r]):
            ref = "%s%d" % (col_letters(c), r + 1)
            if isinstance(v, float):
                out.append('<c r="%s"><v>%s</v></c>' % (ref, _num_text(v)))
            else:
                if v not in sidx:
                    sidx[v] = len(sst)
                    sst.append(v)
                out.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sidx[v]))
        out.append("</row>")
    data = "<sheetData>" + "".join(out) + "</sheetData>"
    text = old.decode("utf-8")
    text = re.sub(r"<sheetData\s*/>|<sheetData>.*?</sheetData>", lambda m: data, text, flags=re.S)
    text = re.sub(r"<mergeCells.*?</mergeCells>", "", text, flags=re.S)
    if cells:
        nc = max(c for row in cells.values() for c, _ in row)
        dim = "A1:%s%d" % (col_letters(nc), max(cells) + 1)
        text = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="%s"' % dim, text)
    return text.encode("utf-8")


def _sst_xml(sst):
    items = "".join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in sst)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="%s" count="%d" '
            'uniqueCount="%d">%s</sst>' % (NS, len(sst), len(sst), items)).encode("utf-8")


def edit(path, fn, sheet=None):
    """Calls fn(grid) to change {(row, col): value} in place, then rewrites the file."""
    with zipfile.ZipFile(path) as z:
        _, p = _pick(z, sheet)
        sst = _shared(z)
        g = _grid(z, p, sst)
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    fn(g)
    sidx = {}
    for i, s in enumerate(sst):
        sidx.setdefault(s, i)
    new_sheet = None
    for i, data in parts:
        if i.filename == p:
            new_sheet = _sheet_xml(data, g, sst, sidx)
    if sst and not any(i.filename == "xl/sharedStrings.xml" for i, _ in parts):
        raise ValueError("%s has no shared strings table; not supported" % path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, data in parts:
            if i.filename == p:
                data = new_sheet
            elif i.filename == "xl/sharedStrings.xml":
                data = _sst_xml(sst)
            z.writestr(i, data)


def _value(s):
    if s.startswith("'"):
        return s[1:]
    if re.fullmatch(r"-?[0-9]+", s):
        return float(s)
    return s


def set_cells(g, assignments):
    for a in assignments:
        ref, _, v = a.partition("=")
        g[split_ref(ref)] = _value(v)


def append_row(g, values):
    r = max((r for r, _ in g), default=-1) + 1
    for c, v in enumerate(values):
        if v != "":
            g[(r, c)] = _value(v)


def reorder(g, letters):
    src = [col_index(x.strip()) for x in letters.split(",")]
    old = dict(g)
    g.clear()
    for (r, c), v in old.items():
        if c in src:
            g[(r, src.index(c))] = v
        else:
            g[(r, len(src) + c)] = v


def insert_rows(g, at, n):
    old = dict(g)
    g.clear()
    for (r, c), v in old.items():
        g[(r + n if r >= at - 1 else r, c)] = v


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, path, rest = argv[1], argv[2], argv[3:]
    sheet = None
    if len(rest) >= 2 and rest[0] == "--sheet":
        sheet, rest = rest[1], rest[2:]
    if cmd == "rows":
        json.dump(read_rows(path, sheet), sys.stdout, ensure_ascii=False)
        print()
    elif cmd == "sheets":
        with zipfile.ZipFile(path) as z:
            for name, _ in _sheet_paths(z):
                print(name)
    elif cmd == "set":
        edit(path, lambda g: set_cells(g, rest), sheet)
    elif cmd == "append":
        edit(path, lambda g: append_row(g, rest), sheet)
    elif cmd == "reorder":
        edit(path, lambda g: reorder(g, rest[0]), sheet)
    elif cmd == "insert-rows":
        edit(path, lambda g: insert_rows(g, int(rest[0]), int(rest[1])), sheet)
    else:
        sys.exit("unknown command %r\n%s" % (cmd, __doc__))


if __name__ == "__main__":
    main(sys.argv)
