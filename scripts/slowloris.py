#!/usr/bin/python3
"""The client side of scripts/slowloris.sh: half-open connections held against one server while subscribers are served.

Two processes, so that neither holds more than about 6,000 open files and each gets a core of its own:
- the hostile side (this file with --role hostile) opens --hostile connections that each send a request line and one
  header (`POST /x HTTP/1.1`, `Host: x`) and then nothing; --trickle of them add one byte of a header that never ends
  every --trickle-every seconds. A connection the server closes is opened again while the subscribers are being
  served (an attacker would), so that all of them stay held throughout; then no new ones are opened and the last ones
  are waited for. It times every connection from the moment it was connected to the close it sees.
- the main side primes the server, takes its open files as the baseline, starts the hostile side, connects
  --subscribers WebSocket subscribers over --channels channels, publishes --messages numbered messages to each channel
  (HTTP POST with the access key, one at a time), waits for every delivery, stops the hostile side and checks:
  every subscriber got every message of its channel once and in order; every hostile connection was closed by the
  server within --header-timeout + 5 s; the server's open files came back to the baseline; the server's
  wsc_http_timeouts_total{timeout="header"} grew by exactly the number of hostile connections.
Prints progress on stderr, a table and one line "SLOWLORIS_RESULT {json}" on stdout. Exit status 0 when every check
held, 1 when one failed, 2 when the run could not be made. Loopback only; every wait is bounded.
Needs the Debian package python3-websockets (10.x).
"""

import argparse
import asyncio
import http.client
import json
import os
import re
import sys
import time
import urllib.request
from collections import Counter

import websockets

HEAD = b"POST /x HTTP/1.1\r\nHost: x\r\n"
TRICKLED_HEADER = b"X-Trickle: "
CONNECT_AT_ONCE = 256  # connection attempts in flight at a time, so the accept queue is never the limit
CLOSE_MARGIN = 5.0  # the bound: closed within the header timeout plus 5 s
WAIT_AFTER = 30.0  # longest wait for a connection the server should have closed, beyond the header timeout
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def log(text):
    print(f"{time.strftime('%H:%M:%S')} slowloris: {text}", file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--role", choices=("main", "hostile"), default="main")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--management-port", type=int)
    p.add_argument("--key")
    p.add_argument("--server-pid", type=int)
    p.add_argument("--header-timeout", type=float, default=10.0, help="seconds, as the server is configured")
    p.add_argument("--hostile", type=int, default=5000)
    p.add_argument("--trickle", type=int, default=1000, help="how many of the hostile connections trickle")
    p.add_argument("--trickle-every", type=float, default=3.0)
    p.add_argument("--subscribers", type=int, default=1000)
    p.add_argument("--channels", type=int, default=10)
    p.add_argument("--messages", type=int, default=100)
    p.add_argument("--max-hold", type=float, default=120.0, help="longest time the subscribers' part may take")
    a = p.parse_args()
    if a.host not in LOOPBACK:
        p.error("loopback targets only")
    if a.role == "main" and (a.management_port is None or a.key is None or a.server_pid is None):
        p.error("--management-port, --key and --server-pid are needed")
    if a.subscribers % a.channels:
        p.error("--subscribers must be a multiple of --channels")
    return a


# ------------------------------------------------------------------------------------------------ the hostile side

class Hostile:
    def __init__(self, a):
        self.a = a
        self.holding = True
        self.connecting = asyncio.Semaphore(CONNECT_AT_ONCE)
        self.opened = 0
        self.open_now = 0
        self.first_round = 0
        self.connect_failures = Counter()
        self.lifetimes = []  # seconds from connected to the close the client saw
        self.endings = Counter()  # "408", "closed" (no answer), "reset", "other answer", "still open"
        self.trickled_bytes = 0

    async def slot(self, index, all_open):
        trickles = index < self.a.trickle
        first = True
        while True:
            try:
                async with self.connecting:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection(self.a.host, self.a.port), 10)
            except (OSError, asyncio.TimeoutError) as e:
                self.connect_failures[type(e).__name__] += 1
                if not self.holding:
                    return
                await asyncio.sleep(1)
                continue
            self.opened += 1
            self.open_now += 1
            if first:
                first = False
                self.first_round += 1
                if self.first_round == self.a.hostile:
                    all_open.set()
            await self.hold(reader, writer, trickles)
            self.open_now -= 1
            if not self.holding:
                return

    async def hold(self, reader, writer, trickles):
        connected = time.monotonic()
        writer.write(HEAD)
        trickler = asyncio.ensure_future(self.trickle(writer)) if trickles else None
        received = b""
        ending = None
        try:
            deadline = connected + self.a.header_timeout + WAIT_AFTER
            while True:
                chunk = await asyncio.wait_for(reader.read(4096), max(0.0, deadline - time.monotonic()))
                if not chunk:
                    break
                received += chunk
        except asyncio.TimeoutError:
            ending = "still open"
        except OSError:
            ending = "reset"
        closed = time.monotonic()
        if trickler:
            trickler.cancel()
        writer.close()
        if ending is None or (ending == "reset" and received):
            ending = "408" if received.startswith(b"HTTP/1.1 408 ") else "other answer" if received else "closed"
        self.endings[ending] += 1
        self.lifetimes.append(closed - connected)

    async def trickle(self, writer):
        try:
            await asyncio.sleep(self.a.trickle_every * (0.2 + 0.8 * (id(writer) % 997) / 997))
            sent = 0
            while True:
                writer.write(TRICKLED_HEADER[sent:sent + 1] if sent < len(TRICKLED_HEADER) else b"a")
                sent += 1
                self.trickled_bytes += 1
                await asyncio.sleep(self.a.trickle_every)
        except (asyncio.CancelledError, OSError):
            pass

    def progress(self):
        return {"open": self.open_now, "opened": self.opened}

    def result(self):
        life = sorted(self.lifetimes)
        return {"opened": self.opened, "connect_failures": dict(self.connect_failures),
                "endings": dict(self.endings), "trickled_bytes": self.trickled_bytes,
                "lifetime_min": round(life[0], 3) if life else None,
                "lifetime_p50": round(life[len(life) // 2], 3) if life else None,
                "lifetime_p99": round(life[min(len(life) - 1, len(life) * 99 // 100)], 3) if life else None,
                "lifetime_max": round(life[-1], 3) if life else None,
                "closed_late": sum(1 for t in life if t > self.a.header_timeout + CLOSE_MARGIN)}


def say(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


async def hostile_side(a):
    side = Hostile(a)
    all_open = asyncio.Event()
    started = time.monotonic()
    slots = [asyncio.ensure_future(side.slot(i, all_open)) for i in range(a.hostile)]
    try:
        await asyncio.wait_for(all_open.wait(), 60)
    except asyncio.TimeoutError:
        pass
    say("held", seconds=round(time.monotonic() - started, 3), **side.progress())
    stop = asyncio.ensure_future(asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline))
    while not stop.done():  # "stop" from the main side, or the end of its pipe
        say("progress", **side.progress())
        await asyncio.wait([stop], timeout=0.5)
    side.holding = False
    say("stopping", **side.progress())
    await asyncio.wait(slots, timeout=a.header_timeout + WAIT_AFTER + 15)
    say("result", **side.result())
    return 0


# --------------------------------------------------------------------------------------------------- the main side

def server_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def timeouts_metric(a):
    """wsc_http_timeouts_total by its timeout label (absent series: 0)."""
    with urllib.request.urlopen(f"http://{a.host}:{a.management_port}/q/metrics", timeout=10) as answer:
        text = answer.read().decode()
    counts = Counter()
    for m in re.finditer(r'^wsc_http_timeouts_total\{[^}]*timeout="(\w+)"[^}]*\}\s+(\S+)', text, re.M):
        counts[m.group(1)] += int(float(m.group(2)))
    return counts


class Publisher:
    """One keep-alive connection, one publish at a time, closed at the end (it must not stay in the fd count)."""

    def __init__(self, a):
        self.a = a
        self.connection = http.client.HTTPConnection(a.host, a.port, timeout=10)

    def publish(self, channel, body):
        self.connection.request("POST", "/" + channel, body=body.encode(),
                                headers={"access-key": self.a.key, "Content-Type": "text/plain"})
        answer = self.connection.getresponse()
        text = answer.read().decode()
        return answer.status, json.loads(text) if text.startswith("{") else text

    def peers(self, channel):
        self.connection.request("GET", "/" + channel, headers={"access-key": self.a.key})
        answer = self.connection.getresponse()
        return json.loads(answer.read())["stat"]["peers"]

    def close(self):
        self.connection.close()


class Subscriber:
    def __init__(self, channel):
        self.channel = channel
        self.received = []
        self.closed_by_server = False
        self.closing = False
        self.socket = None

    async def connect(self, a, connecting):
        async with connecting:
            self.socket = await websockets.connect(f"ws://{a.host}:{a.port}/{self.channel}", open_timeout=15,
                                                   ping_interval=None, close_timeout=5, max_queue=None)
        asyncio.ensure_future(self.receive())

    async def receive(self):
        try:
            async for message in self.socket:
                self.received.append(message)
        except websockets.ConnectionClosed:
            pass
        if not self.closing:
            self.closed_by_server = True

    async def close(self):
        self.closing = True
        await self.socket.close()


async def prime(a, publisher):
    """What the server opens once, lazily (jars of classes first used by an upgrade, a publish, a 401), is opened
    before the baseline is taken, as the soak test does."""
    primer = Subscriber("slowloris/primer")
    await primer.connect(a, asyncio.Semaphore(1))
    await asyncio.get_running_loop().run_in_executor(None, publisher.publish, primer.channel, "primer")
    for _ in range(100):
        if primer.received:
            break
        await asyncio.sleep(0.05)
    await primer.close()
    reader, writer = await asyncio.open_connection(a.host, a.port)
    writer.write(b"GET /slowloris/primer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await reader.read()
    writer.close()
    await asyncio.sleep(3)


class FdWatch:
    def __init__(self, pid):
        self.pid = pid
        self.peak = 0

    async def run(self):
        while True:
            self.peak = max(self.peak, server_fds(self.pid))
            await asyncio.sleep(0.5)


async def read_hostile(child, state):
    """Follows the hostile side's lines; the lowest and highest number of connections held while serving."""
    while True:
        line = await child.stdout.readline()
        if not line:
            return
        event = json.loads(line)
        state[event["event"]] = event
        if event["event"] == "progress" and state.get("serving"):
            state["held_min"] = min(state.get("held_min", event["open"]), event["open"])
            state["held_max"] = max(state.get("held_max", 0), event["open"])


async def main_side(a):
    report = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "hostile": a.hostile, "trickling": a.trickle,
              "trickle_every_seconds": a.trickle_every, "subscribers": a.subscribers, "channels": a.channels,
              "messages_per_channel": a.messages, "header_timeout_seconds": a.header_timeout}
    loop = asyncio.get_running_loop()
    publisher = Publisher(a)
    await prime(a, publisher)
    publisher.close()
    report["server_fds_baseline"] = baseline = server_fds(a.server_pid)
    timeouts_before = timeouts_metric(a)
    fds = FdWatch(a.server_pid)
    watching = asyncio.ensure_future(fds.run())

    log(f"opening {a.hostile} half-open connections ({a.trickle} trickling a byte every {a.trickle_every:g} s)")
    child = await asyncio.create_subprocess_exec(
        sys.executable, os.path.abspath(__file__), "--role", "hostile", "--host", a.host, "--port", str(a.port),
        "--header-timeout", str(a.header_timeout), "--hostile", str(a.hostile), "--trickle", str(a.trickle),
        "--trickle-every", str(a.trickle_every), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    hostile = {}
    following = asyncio.ensure_future(read_hostile(child, hostile))
    while "held" not in hostile and not following.done():
        await asyncio.sleep(0.1)
    if "held" not in hostile:
        log("the hostile side ended before holding its connections")
        return report, 2
    report["hostile_open_seconds"] = hostile["held"]["seconds"]
    report["server_fds_with_hostile"] = server_fds(a.server_pid)
    log(f"{hostile['held']['open']} held after {hostile['held']['seconds']} s; server open files "
        f"{report['server_fds_with_hostile']} (baseline {baseline})")

    hostile["serving"] = True
    began = time.monotonic()
    subscribers = [Subscriber(f"slowloris/c{i % a.channels}") for i in range(a.subscribers)]
    connecting = asyncio.Semaphore(100)
    results = await asyncio.wait_for(asyncio.gather(*(s.connect(a, connecting) for s in subscribers),
                                                    return_exceptions=True), a.max_hold)
    failed = [r for r in results if isinstance(r, BaseException)]
    report["subscriber_connect_failures"] = len(failed)
    report["subscribers_connect_seconds"] = round(time.monotonic() - began, 3)
    log(f"{a.subscribers - len(failed)} subscribers connected in {report['subscribers_connect_seconds']} s"
        + (f"; {len(failed)} failed, first: {failed[0]!r}" if failed else ""))

    publisher = Publisher(a)
    channels = sorted({s.channel for s in subscribers})
    per_channel = a.subscribers // a.channels
    peers = await loop.run_in_executor(None, lambda: sum(publisher.peers(c) for c in channels))
    report["peers_reported"] = peers

    def publish_all():
        failures, short = 0, 0
        for seq in range(a.messages):
            for channel in channels:
                status, answer = publisher.publish(channel, f"{channel}#{seq}")
                if status != 201:
                    failures += 1
                elif answer.get("recipients") != per_channel:
                    short += 1
        return failures, short

    published_at = time.monotonic()
    report["publish_failures"], report["publishes_short_of_recipients"] = await loop.run_in_executor(
        None, publish_all)
    report["messages_published"] = a.messages * len(channels)
    report["publish_seconds"] = round(time.monotonic() - published_at, 3)
    await loop.run_in_executor(None, publisher.close)
    expected = a.messages * a.subscribers
    deadline = time.monotonic() + 30
    while sum(len(s.received) for s in subscribers) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    report["serve_seconds"] = round(time.monotonic() - began, 3)
    report["hostile_held_min_while_serving"] = hostile.get("held_min")
    report["hostile_held_max_while_serving"] = hostile.get("held_max")
    hostile["serving"] = False
    log(f"published {report['messages_published']} in {report['publish_seconds']} s; hostile connections held "
        f"while serving: {hostile.get('held_min')}..{hostile.get('held_max')}")

    report["deliveries_expected"] = expected
    report["deliveries_received"] = sum(len(s.received) for s in subscribers)
    wanted = {c: [f"{c}#{seq}" for seq in range(a.messages)] for c in channels}
    report["subscribers_incomplete_or_out_of_order"] = sum(1 for s in subscribers if s.received != wanted[s.channel])
    report["subscribers_closed_by_server"] = sum(1 for s in subscribers if s.closed_by_server)

    child.stdin.write(b"stop\n")
    await child.stdin.drain()
    await asyncio.gather(*(s.close() for s in subscribers if s.socket), return_exceptions=True)
    log("stopped opening hostile connections; waiting for the server to close the last ones")
    try:
        await asyncio.wait_for(following, a.header_timeout + WAIT_AFTER + 30)
        await asyncio.wait_for(child.wait(), 10)
    except asyncio.TimeoutError:
        child.kill()
        log("the hostile side did not finish")
    result = hostile.get("result")
    if not result:
        return report, 2
    report.update({"hostile_" + k: v for k, v in result.items() if k != "event"})
    report["server_fds_peak"] = fds.peak

    waited = time.monotonic()
    while server_fds(a.server_pid) > baseline and time.monotonic() - waited < 15:
        await asyncio.sleep(0.2)
    watching.cancel()
    report["fds_back_after_seconds"] = round(time.monotonic() - waited, 1)
    report["server_fds_after"] = server_fds(a.server_pid)
    timeouts_after = timeouts_metric(a)
    for kind in ("header", "body", "keep_alive"):
        report[f"metric_timeouts_{kind}"] = timeouts_after[kind] - timeouts_before[kind]

    checks = {
        "every subscriber connected": report["subscriber_connect_failures"] == 0 and peers == a.subscribers,
        "every publish answered 201 with every recipient":
            report["publish_failures"] == 0 and report["publishes_short_of_recipients"] == 0,
        f"every subscriber got all {a.messages} messages, once, in order":
            report["deliveries_received"] == expected and report["subscribers_incomplete_or_out_of_order"] == 0
            and report["subscribers_closed_by_server"] == 0,
        f"{a.hostile} hostile connections held": hostile["held"]["open"] == a.hostile
            and not result["connect_failures"],
        f"every hostile connection closed by the server within {a.header_timeout:g} + {CLOSE_MARGIN:g} s":
            result["closed_late"] == 0 and "still open" not in result["endings"],
        "open files back at the baseline": report["server_fds_after"] <= baseline,
        "header timeouts counted, one per hostile connection": report["metric_timeouts_header"] == result["opened"],
    }
    report["checks_failed"] = [name for name, ok in checks.items() if not ok]
    for name, ok in checks.items():
        log(("ok     " if ok else "FAILED ") + name)
    return report, 0 if all(checks.values()) else 1


def print_report(report):
    for key, value in report.items():
        if key != "checks_failed":
            shown = json.dumps(value) if isinstance(value, (dict, list)) else str(value)
            print(f"| {key:<40} | {shown:>30} |")
    print("SLOWLORIS_RESULT " + json.dumps(report))


def main():
    a = parse_args()
    if a.role == "hostile":
        sys.exit(asyncio.run(hostile_side(a)))
    report, status = asyncio.run(main_side(a))
    print_report(report)
    sys.exit(status)


if __name__ == "__main__":
    main()
