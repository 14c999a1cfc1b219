"""The wire contract, driven by ordinary third-party clients (requests, websockets) against a running wsc.

Usage: python3 wire_contract.py http://127.0.0.1:8088 ACCESS_KEY
Exits 0 when every check passes; prints each failed check and exits 1 otherwise.
"""
import asyncio
import sys
import uuid

import requests
import websockets

BASE, KEY = sys.argv[1].rstrip("/"), sys.argv[2]
WS_BASE = "ws" + BASE[len("http"):]
HEADERS = {"Access-Key": KEY}  # the original Python client's spelling
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)))
    if not condition:
        failures.append(name)


def post(path, body=b"", **headers):
    return requests.post(BASE + path, data=body, headers={**HEADERS, **headers}, timeout=10)


async def recv(ws):
    return await asyncio.wait_for(ws.recv(), 5)


async def main():
    channel = "py/" + uuid.uuid4().hex
    async with websockets.connect(WS_BASE + "/" + channel.upper() + "/", max_size=2 ** 21) as a, \
            websockets.connect(WS_BASE + "/" + channel, max_size=2 ** 21) as b:
        await a.send("browsers may talk; the server ignores it")
        r = post("/" + channel, "héllo".encode())
        check("publish answers 201", r.status_code == 201, r.status_code)
        check("receipt is the original's", r.json() == {"status": "Message sent", "channel_id": channel,
                                                       "content_length": 6, "recipients": 2}, r.text)
        check("text arrives unchanged", await recv(a) == "héllo" and await recv(b) == "héllo")

        r = post("/" + channel, b"\x00\xff", **{"Content-Type": "application/octet-stream"})
        check("octet-stream arrives as a binary frame", await recv(a) == b"\x00\xff" and r.status_code == 201)
        await recv(b)

        r = requests.get(BASE + "/" + channel, headers=HEADERS, timeout=10)
        check("stats", r.status_code == 200 and r.json() == {"channel_id": channel, "stat": {
            "peers": 2, "sent_messages": 2, "sent_bytes": (6 + 2) * 2}}, r.text)

        for i in range(20):
            post("/" + channel, str(i).encode())
        check("order is kept", [await recv(a) for _ in range(20)] == [str(i) for i in range(20)])

    async with websockets.connect(WS_BASE + "/") as root:
        r = post("/", b"")
        check("root channel and empty body", r.status_code == 201 and r.json()["channel_id"] == "/"
              and await recv(root) == "", r.text)

    r = requests.get(BASE + "/never/used/" + uuid.uuid4().hex, headers=HEADERS, timeout=10)
    check("unknown channel answers zeros", r.status_code == 200 and r.json()["stat"] == {
        "peers": 0, "sent_messages": 0, "sent_bytes": 0}, r.text)

    for headers in ({}, {"access-key": KEY.lower()}, {"access-key": KEY + "x"}):
        r = requests.post(BASE + "/x", data=b"x", headers=headers, timeout=10)
        check("401 for key %r" % headers, r.status_code == 401 and r.json() == {"status": "Not authorized"}, r.text)

    r = requests.put(BASE + "/x", data=b"x", headers=HEADERS, timeout=10)
    check("405 with Allow", r.status_code == 405 and "POST" in r.headers.get("Allow", "") and "status" in r.json())
    check("1 MiB accepted", post("/big", b"x" * 1048576).status_code == 201)
    r = post("/big", b"x" * 1048577)
    check("1 MiB + 1 refused with 413", r.status_code == 413 and "status" in r.json(), r.text)
    r = post("/x", b"\xc3\x28")
    check("invalid UTF-8 text is 400", r.status_code == 400 and "status" in r.json(), r.text)
    r = post("/" + "a" * 256, b"x")
    check("name over 255 characters is 400", r.status_code == 400 and "status" in r.json(), r.text)
    async with websockets.connect(WS_BASE + "/frames") as ws:
        await ws.send(b"y" * 65536)
        r = post("/frames", b"still open")
        check("a 64 KiB client frame is accepted", await recv(ws) == "still open", r.text)
        await ws.send(b"y" * 65537)
        try:
            await asyncio.wait_for(ws.recv(), 15)
            check("a larger client frame closes with 1009", False, "no close")
        except websockets.exceptions.ConnectionClosed:
            check("a larger client frame closes with 1009", ws.close_code == 1009, ws.close_code)

    try:
        async with websockets.connect(WS_BASE + "/" + "a" * 256):
            check("long name upgrade refused", False)
    except websockets.exceptions.InvalidStatusCode as e:
        check("long name upgrade refused", e.status_code == 400, e.status_code)


asyncio.run(main())
sys.exit(1 if failures else 0)
