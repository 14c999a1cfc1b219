#!/usr/bin/env python3
"""Who holds what in a heap dump (hprof, e.g. from HEAPDUMP=1 scripts/idle-memory.sh).

  scripts/heap-owners.py DUMP [CLASS ...] [--per N] [--top K]

Without classes: the largest classes by shallow size. With classes (names as the class histogram prints them, e.g.
'[Ljava.lang.Object;' or 'java.lang.String'): for each, its instances grouped by what refers to them (referrer class
and field, or '[]' for an array slot) and, one step further, what refers to that referrer. --per N divides counts and
bytes by N (the connections held, to read them per connection). Sizes assume compressed references (4 bytes), a
12-byte object header and 8-byte alignment, as on a 64-bit HotSpot with a heap under 32 GB.
"""
import struct
import sys
from collections import defaultdict

BASIC = {4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # hprof basic type -> bytes (2, object, is the id size)
PRIM_NAMES = {4: '[Z', 5: '[C', 6: '[F', 7: '[D', 8: '[B', 9: '[S', 10: '[I', 11: '[J'}


def align(n):
    return (n + 7) & ~7


def parse(path):
    data = open(path, 'rb').read()
    end = data.index(b'\0')
    idsize = struct.unpack_from('>I', data, end + 1)[0]
    idfmt = '>Q' if idsize == 8 else '>I'
    pos = end + 1 + 4 + 8
    strings, class_names, classes = {}, {}, {}
    obj_class, obj_size = {}, {}
    refs = defaultdict(list)  # object -> [(referrer, field)]
    pending = []  # instances parsed once every class is known: (id, class, offset, length)
    rd_id = lambda p: struct.unpack_from(idfmt, data, p)[0]
    while pos < len(data):
        tag = data[pos]
        length = struct.unpack_from('>I', data, pos + 5)[0]
        body, pos = pos + 9, pos + 9 + length
        if tag == 0x01:
            strings[rd_id(body)] = data[body + idsize:pos].decode('utf-8', 'replace')
        elif tag == 0x02:
            class_names[rd_id(body + 4)] = rd_id(body + 8 + idsize)
        elif tag in (0x0C, 0x1C):
            p = body
            while p < pos:
                sub = data[p]
                p += 1
                if sub == 0xFF or sub == 0x05 or sub == 0x07:
                    p += idsize
                elif sub == 0x01:
                    p += 2 * idsize
                elif sub in (0x02, 0x03, 0x08):
                    p += idsize + 8
                elif sub in (0x04, 0x06):
                    p += idsize + 4
                elif sub == 0x20:
                    cid = rd_id(p)
                    sup = rd_id(p + 4 + idsize)
                    p += 4 + 7 * idsize + 4
                    (ncp,) = struct.unpack_from('>H', data, p)
                    p += 2
                    for _ in range(ncp):
                        t = data[p + 2]
                        p += 3 + (idsize if t == 2 else BASIC[t])
                    (nst,) = struct.unpack_from('>H', data, p)
                    p += 2
                    for _ in range(nst):
                        t = data[p + idsize]
                        p += idsize + 1 + (idsize if t == 2 else BASIC[t])
                    (nf,) = struct.unpack_from('>H', data, p)
                    p += 2
                    fields = []
                    for _ in range(nf):
                        fields.append((rd_id(p), data[p + idsize]))
                        p += idsize + 1
                    classes[cid] = (sup, fields)
                elif sub == 0x21:
                    oid, cid = rd_id(p), rd_id(p + 4 + idsize)
                    (n,) = struct.unpack_from('>I', data, p + 4 + 2 * idsize)
                    start = p + 8 + 2 * idsize
                    pending.append((oid, cid, start))
                    p = start + n
                elif sub == 0x22:
                    oid = rd_id(p)
                    (n,) = struct.unpack_from('>I', data, p + 4 + idsize)
                    acid = rd_id(p + 8 + idsize)
                    start = p + 8 + 2 * idsize
                    obj_class[oid] = acid
                    obj_size[oid] = align(16 + 4 * n)
                    for i in range(n):
                        r = rd_id(start + i * idsize)
                        if r:
                            refs[r].append((oid, '[]'))
                    p = start + n * idsize
                elif sub == 0x23:
                    oid = rd_id(p)
                    n, t = struct.unpack_from('>IB', data, p + 4 + idsize)
                    obj_class[oid] = PRIM_NAMES[t]
                    obj_size[oid] = align(16 + BASIC[t] * n)
                    p += idsize + 9 + BASIC[t] * n
                else:
                    raise ValueError(f'unknown heap sub-record 0x{sub:02x} at {p - 1}')
    names = {cid: strings.get(sid, '?').replace('/', '.') for cid, sid in class_names.items()}
    layouts = {}

    def layout(cid):  # [(field name, type)] in dump order: the class's own fields, then its superclass's
        if cid not in layouts:
            out, c = [], cid
            while c and c in classes:
                sup, fields = classes[c]
                out += [(strings.get(n, '?'), t) for n, t in fields]
                c = sup
            layouts[cid] = out
        return layouts[cid]

    for oid, cid, p in pending:
        obj_class[oid] = cid
        size = 12
        for fname, t in layout(cid):
            if t == 2:
                r = rd_id(p)
                if r:
                    refs[r].append((oid, fname))
                p += idsize
                size += 4
            else:
                p += BASIC[t]
                size += BASIC[t]
        obj_size[oid] = align(size)
    return obj_class, obj_size, refs, names


def main():
    args = [a for a in sys.argv[1:]]
    per, top = 1, 12
    for flag in ('--per', '--top'):
        if flag in args:
            i = args.index(flag)
            value = int(args[i + 1])
            del args[i:i + 2]
            per, top = (value, top) if flag == '--per' else (per, value)
    dump, wanted = args[0], args[1:]
    obj_class, obj_size, refs, names = parse(dump)
    name = lambda oid: (lambda c: names.get(c, c) if not isinstance(c, str) else c)(obj_class.get(oid, '?'))
    by_class = defaultdict(lambda: [0, 0])
    for oid in obj_class:
        e = by_class[name(oid)]
        e[0] += 1
        e[1] += obj_size[oid]
    if not wanted:
        for cname, (n, b) in sorted(by_class.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f'{b / per:10.1f} B {n / per:8.2f} {cname}')
        return
    for cname in wanted:
        groups = defaultdict(lambda: [0, 0, defaultdict(int)])
        for oid in obj_class:
            if name(oid) != cname:
                continue
            holders = refs.get(oid) or [(None, 'root')]
            holder, field = holders[0]
            key = (name(holder) if holder else '-', field, len(holders) > 1)
            g = groups[key]
            g[0] += 1
            g[1] += obj_size[oid]
            up = refs.get(holder) if holder else None
            g[2][f'{name(up[0][0])}.{up[0][1]}' if up else '-'] += 1
        n, b = by_class[cname]
        print(f'== {cname}: {n / per:.2f} objects, {b / per:.1f} B')
        for (hname, field, shared), (n, b, ups) in sorted(groups.items(), key=lambda kv: -kv[1][1])[:top]:
            up = max(ups.items(), key=lambda kv: kv[1])[0]
            print(f'  {b / per:9.1f} B {n / per:7.2f}  {hname}.{field}{" (+ others)" if shared else ""}  <- {up}')


if __name__ == '__main__':
    main()
