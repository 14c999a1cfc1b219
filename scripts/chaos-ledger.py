#!/usr/bin/python3
"""The ledger side of scripts/chaos.sh: publishes numbered messages and watches every subscriber while faults happen.

One publisher per channel posts c<k>-0, c<k>-1, ... one at a time, each through the next node in turn, and records
how each publish was answered (201 with its receipt, 503, no answer). On every node and channel a raw, a wsc.v1.json
and an event-stream subscriber record every delivery and every loss signal; whenever a connection ends they connect
again (JSON and event streams resume from the last id they saw when history is on). When the file STOP appears,
publishing stops, subscribers get a quiet moment to receive what is in flight, and every subscriber view is checked
against the ledger (the first rule): each acknowledged message published while the view was connected arrives once
and in order, or a loss signal (gap frame or event, close 1012) comes before the next message that arrives.

Written to the run directory: progress (key=value counters, rewritten twice a second, read by chaos.sh for its fault
lines), result (the final counters), violations.txt (evidence of each violation, when there are any).
Exit status: 0 when the rule held for every view, 1 when a message was lost silently, repeated or reordered.
Needs the Debian packages python3-websockets (10.x) and python3-requests.
"""

import argparse
import asyncio
import bisect
import json
import os
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import requests
import websockets

# A view that ended with a close the subscriber saw (1001 on shutdown, a dropped connection, an ended stream) is not
# owed the messages acknowledged in its last moment: they may still have been on their way to its node. The
# subscriber knows its connection ended; those are counted as cut off by the close, not as lost.
CLOSE_GRACE = 2.0
QUIET_AT_END = 5.0  # seconds without a delivery before views are taken as complete
PUBLISH_TIMEOUT = 10.0
LOSS = None  # a loss signal in a view's event list


@dataclass
class Publish:
    seq: int
    body: str
    node: int
    sent: float
    answered: float = 0.0
    status: str = "pending"  # "201", "503", other HTTP status, "refused" (no connection), "timeout", "error"
    message_id: str = None

    @property
    def acknowledged(self):
        return self.status == "201"


class Ledger:
    """Every publish one channel's publisher tried, in order (one at a time, so this is the channel's order)."""

    def __init__(self, channel):
        self.channel = channel
        self.tried = []
        self.by_body = {}

    def publish_forever(self, nodes, key, pause, stop, counters):
        session = requests.Session()
        seq = 0
        while not stop.is_set():
            node = seq % len(nodes)
            body = f"{self.channel.rsplit('/', 1)[-1]}-{seq}"
            entry = Publish(seq, body, node, time.time())
            self.tried.append(entry)
            self.by_body[body] = entry
            try:
                answer = session.post(f"http://127.0.0.1:{nodes[node]}/{self.channel}", data=body.encode(),
                                      headers={"access-key": key, "Content-Type": "text/plain"},
                                      timeout=PUBLISH_TIMEOUT)
                entry.status = str(answer.status_code)
                if answer.status_code == 201:
                    entry.message_id = answer.json().get("message_id")
            except requests.Timeout:
                entry.status = "timeout"
            except requests.ConnectionError:
                entry.status = "refused"  # the node is restarting (or the connection broke: see the ledger)
                session = requests.Session()
            entry.answered = time.time()
            counters.count("publish_" + entry.status)
            seq += 1
            stop.wait(pause)


class Counters:
    """Shared counters (publisher threads and the subscriber loop), written to the progress file."""

    def __init__(self):
        self.values = {}
        self.lock = threading.Lock()

    def count(self, name, by=1):
        with self.lock:
            self.values[name] = self.values.get(name, 0) + by

    def get(self, name):
        with self.lock:
            return self.values.get(name, 0)

    def write(self, path):
        with self.lock:
            text = "".join(f"{k}={v}\n" for k, v in sorted(self.values.items()))
        with open(path + ".tmp", "w") as out:
            out.write(text)
        os.replace(path + ".tmp", path)


@dataclass
class Session:
    """One connection of a subscriber: what it received, and how it ended."""
    opened: float
    resumed_from: str = None  # the id it resumed after (?since= or Last-Event-ID), None for a fresh start
    events: list = field(default_factory=list)  # (time, body) or (time, LOSS)
    ids: list = field(default_factory=list)  # (body, id) as the frames carried them
    ended: float = None
    end: str = "open"  # "1012", "1001", other close codes, "eof", "error: ..."


@dataclass
class Slot:
    """The subscriber of one kind on one node and channel, over all its connections."""
    kind: str  # raw, json, sse
    node: int
    channel: str
    sessions: list = field(default_factory=list)
    last_id: str = None


class Subscribers:
    def __init__(self, nodes, channels, history, counters, rng):
        self.nodes = nodes
        self.history = history
        self.counters = counters
        self.rng = rng
        self.slots = [Slot(kind, node, channel) for channel in channels for node in range(len(nodes))
                      for kind in ("raw", "json", "sse")]
        self.last_delivery = time.time()
        self.stopping = False

    def url(self, slot, scheme):
        return f"{scheme}://127.0.0.1:{self.nodes[slot.node]}/{slot.channel}"

    async def keep(self, slot, first_connected):
        """Connects the slot's subscriber, and again each time its connection ends, until the run stops."""
        connect = {"raw": self.raw_session, "json": self.json_session, "sse": self.sse_session}[slot.kind]
        while not self.stopping:
            try:
                await connect(slot, first_connected)
            except Exception:  # the node is down, or refuses subscribers while Redis is unreachable (503)
                self.counters.count("connect_failures")
            finally:
                first_connected.set()
            if not self.stopping:
                await asyncio.sleep(0.2 + self.rng.random() * 0.6)

    def opened(self, slot, resumed_from=None):
        session = Session(time.time(), resumed_from)
        slot.sessions.append(session)
        return session

    def ended(self, session, how):
        session.ended = time.time()
        session.end = how
        if self.stopping:
            return
        if how == "1012":
            self.counters.count("closed_1012")
        else:
            self.counters.count("reconnected")

    def delivered(self, session, body, message_id=None):
        now = time.time()
        session.events.append((now, body))
        if message_id is not None:
            session.ids.append((body, message_id))
        self.last_delivery = now
        self.counters.count("deliveries")

    def signalled(self, session):
        session.events.append((time.time(), LOSS))
        self.counters.count("gaps")

    async def raw_session(self, slot, first_connected):
        async with websockets.connect(self.url(slot, "ws"), open_timeout=10, ping_interval=None,
                                      max_queue=None, close_timeout=2) as socket:
            session = self.opened(slot)
            first_connected.set()
            try:
                async for frame in socket:
                    self.delivered(session, frame)
            except websockets.ConnectionClosed:
                pass
            self.ended(session, str(socket.close_code))
            if socket.close_code == 1012:
                session.events.append((time.time(), LOSS))

    async def json_session(self, slot, first_connected):
        resume = slot.last_id if self.history else None
        url = self.url(slot, "ws") + (f"?since={resume}" if resume else "")
        async with websockets.connect(url, subprotocols=["wsc.v1.json"], open_timeout=10, ping_interval=None,
                                      max_queue=None, close_timeout=2) as socket:
            session = self.opened(slot, resume)
            first_connected.set()
            try:
                async for text in socket:
                    frame = json.loads(text)
                    kind = frame.get("type")
                    if kind == "gap":
                        self.signalled(session)
                    elif kind is None:
                        self.delivered(session, frame["data"], frame.get("id"))
                        slot.last_id = frame.get("id") or slot.last_id
            except websockets.ConnectionClosed:
                pass
            self.ended(session, str(socket.close_code))
            if socket.close_code == 1012:  # not expected for JSON (they get gaps), but a loss signal all the same
                session.events.append((time.time(), LOSS))

    async def sse_session(self, slot, first_connected):
        resume = slot.last_id if self.history else None
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.nodes[slot.node]), 10)
        try:
            head = (f"GET /{slot.channel} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + (f"Last-Event-ID: {resume}\r\n" if resume else "") + "\r\n")
            writer.write(head.encode())
            status = (await asyncio.wait_for(reader.readline(), 10)).decode()
            while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b""):
                pass
            if " 200 " not in status:
                raise OSError("event stream refused: " + status.strip())
            session = self.opened(slot, resume)
            first_connected.set()
            event = {}
            try:
                async for line in dechunked_lines(reader):
                    if line == "":
                        self.sse_event(slot, session, event)
                        event = {}
                    elif not line.startswith(":"):
                        name, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        event[name] = event[name] + "\n" + value if name == "data" and name in event else value
                self.ended(session, "eof")
            except (OSError, asyncio.IncompleteReadError) as broken:
                self.ended(session, "error: " + type(broken).__name__)
        finally:
            writer.close()

    def sse_event(self, slot, session, event):
        kind = event.get("event", "message")
        if kind == "gap":
            self.signalled(session)
        elif kind == "message" and "data" in event:
            self.delivered(session, event["data"], event.get("id"))
            slot.last_id = event.get("id") or slot.last_id

    def close_open_sessions(self, at):
        for slot in self.slots:
            if slot.sessions and slot.sessions[-1].ended is None:
                slot.sessions[-1].ended = at
                slot.sessions[-1].end = "end of run"


async def dechunked_lines(reader):
    """The lines of a chunked HTTP body; ends at the last chunk or when the connection closes."""
    pending = b""
    while True:
        size_line = await reader.readline()
        if not size_line:
            return
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return
        pending += await reader.readexactly(size)
        await reader.readexactly(2)
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line.rstrip(b"\r").decode()


@dataclass
class Faults:
    """Faults chaos.sh injected, as it logged them: (time, kind, detail)."""
    entries: list

    @staticmethod
    def read(path):
        entries = []
        if os.path.exists(path):
            for line in open(path):
                at, kind, detail = (line.rstrip("\n").split(" ", 2) + ["", ""])[:3]
                entries.append((float(at), kind, detail))
        return Faults(entries)

    def before(self, at):
        earlier = [f for f in self.entries if f[0] <= at]
        if not earlier:
            return "no fault before it"
        when, kind, detail = earlier[-1]
        return f"{kind} {detail} {at - when:.1f} s before".replace("  ", " ")


class Check:
    """The first rule, per subscriber view, against the channel's ledger."""

    def __init__(self, ledgers, faults):
        self.ledgers = ledgers
        self.faults = faults
        self.totals = {k: 0 for k in ("views", "silently_lost", "duplicates", "reordered", "wrong_ids",
                                      "never_published", "covered_by_signals", "cut_off_by_close")}
        self.violations = []
        self.cut_off = []  # acknowledged messages in flight at a close the subscriber saw, for a look afterwards

    def views(self, slot):
        """Sessions joined into views: a session that resumed from the last id seen continues the view before it."""
        views = []
        for session in slot.sessions:
            if views and session.resumed_from is not None:
                views[-1].append(session)
            else:
                views.append([session])
        return views

    def slot(self, slot, node_logs):
        ledger = self.ledgers[slot.channel]
        for view in self.views(slot):
            self.totals["views"] += 1
            self.view(slot, view, ledger, node_logs)

    def view(self, slot, view, ledger, node_logs):
        start, until = view[0].opened, view[-1].ended
        closed_by_server = view[-1].end not in ("end of run", "1012")
        owed = [p for p in ledger.tried if p.acknowledged and p.sent >= start and p.answered <= until]
        owed_seqs = [p.seq for p in owed]
        seen_at = -1  # seq of the last message seen in this view
        told = False
        received = set()
        holes = []  # (message, session, next seq) missing without a signal where a later one arrived

        def report(what, publish, session, detail=""):
            self.violations.append(self.evidence(what, slot, publish, session, detail, node_logs))

        events = [(session, at, body) for session in view for at, body in session.events]
        for session, at, body in events:
            if body is LOSS:
                told = True
                continue
            publish = ledger.by_body.get(body)
            if publish is None:
                self.totals["never_published"] += 1
                report("never published", None, session, f"body {body!r}")
                continue
            if publish.seq in received:
                self.totals["duplicates"] += 1
                report("duplicate", publish, session, f"received again at {stamp(at)}")
                continue
            if publish.seq < seen_at:
                self.totals["reordered"] += 1
                report("reordered", publish, session, f"arrived at {stamp(at)} after {ledger.tried[seen_at].body}")
                received.add(publish.seq)
                continue
            missing = owed[bisect.bisect_right(owed_seqs, seen_at):bisect.bisect_left(owed_seqs, publish.seq)]
            if told:
                self.totals["covered_by_signals"] += len(missing)
            else:
                holes.extend((hole, session, publish.seq) for hole in missing)
            received.add(publish.seq)
            seen_at, told = publish.seq, False
        for publish, session, before in holes:
            if publish.seq not in received:  # one that arrived later is counted as reordered, not also as lost
                self.totals["silently_lost"] += 1
                report("silently lost", publish, session, f"missing before {slot.channel} #{before}")
        for body, message_id in (pair for session in view for pair in session.ids):
            publish = ledger.by_body.get(body)
            if publish and publish.message_id and publish.message_id != message_id:
                self.totals["wrong_ids"] += 1
                report("wrong id", publish, view[-1], f"frame id {message_id}, receipt id {publish.message_id}")
        missing = owed[bisect.bisect_right(owed_seqs, seen_at):]
        if told:
            self.totals["covered_by_signals"] += len(missing)
            return
        for publish in missing:
            if closed_by_server and publish.answered > until - CLOSE_GRACE:
                self.totals["cut_off_by_close"] += 1
                self.cut_off.append(f"{slot.kind} node {slot.node} {publish.body} via node {publish.node}: answered "
                                    f"{until - publish.answered:.3f} s before the close ({view[-1].end}); "
                                    f"{self.faults.before(until)}")
            else:
                self.totals["silently_lost"] += 1
                report("silently lost (missing at the end of the view)", publish, view[-1])

    def evidence(self, what, slot, publish, session, detail, node_logs):
        lines = [f"{what}: {slot.kind} subscriber on node {slot.node}, channel {slot.channel}; {detail}".rstrip("; ")]
        if publish:
            lines.append(f"  message {publish.body} (#{publish.seq}) published through node {publish.node}, "
                         f"sent {stamp(publish.sent)}, answered {stamp(publish.answered)} with {publish.status}, "
                         f"id {publish.message_id}; {self.faults.before(publish.sent)}")
        lines.append(f"  session opened {stamp(session.opened)}, resumed after {session.resumed_from}, "
                     f"ended {stamp(session.ended)} ({session.end}), {len(session.events)} events")
        at = publish.sent if publish else session.opened
        for node, log in enumerate(node_logs if len(self.violations) < 30 else []):
            for line in log_lines_near(log, at):
                lines.append(f"  node {node} log: {line}")
        return "\n".join(lines)


def stamp(at):
    return datetime.fromtimestamp(at).strftime("%H:%M:%S.%f")[:-3] if at else "-"


LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (WARN|ERROR|INFO)")


def log_lines_near(path, at, before=5.0, after=3.0, limit=8):
    """WARN and ERROR lines (and INFO about Redis) of a node's log around a moment: what the node saw."""
    if not os.path.exists(path):
        return []
    found = []
    for line in open(path, errors="replace"):
        match = LOG_TIME.match(line)
        if not match or (match.group(2) == "INFO" and "edis" not in line):
            continue
        when = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
        if at - before <= when <= at + after:
            found.append(line.rstrip()[:300])
    return found[:limit]


async def run(args):
    nodes = [int(p) for p in args.ports.split(",")]
    channels = [f"chaos/c{k}" for k in range(args.channels)]
    counters = Counters()
    rng = random.Random(args.seed)
    subscribers = Subscribers(nodes, channels, args.history, counters, rng)
    connected = []
    tasks = []
    for slot in subscribers.slots:
        first = asyncio.Event()
        connected.append(first)
        tasks.append(asyncio.create_task(subscribers.keep(slot, first)))
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in connected)), 30)

    stop = threading.Event()
    ledgers = {channel: Ledger(channel) for channel in channels}
    pause = args.channels / args.rate
    publishers = [threading.Thread(target=ledger.publish_forever, args=(nodes, args.key, pause, stop, counters),
                                   daemon=True) for ledger in ledgers.values()]
    for publisher in publishers:
        publisher.start()
    progress = os.path.join(args.dir, "progress")
    print(f"chaos-ledger: {len(subscribers.slots)} subscribers ({len(nodes)} nodes x {len(channels)} channels x raw, "
          f"json, sse), publishing {args.rate}/s", flush=True)
    while not os.path.exists(os.path.join(args.dir, "STOP")):
        counters.write(progress)
        await asyncio.sleep(0.5)

    stop.set()
    for publisher in publishers:
        publisher.join(PUBLISH_TIMEOUT + 5)
    finished = time.time()
    while time.time() - max(subscribers.last_delivery, finished) < QUIET_AT_END and time.time() - finished < 60:
        await asyncio.sleep(0.5)
    subscribers.stopping = True
    subscribers.close_open_sessions(time.time())
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    check = Check(ledgers, Faults.read(os.path.join(args.dir, "faults.log")))
    node_logs = [os.path.join(args.dir, f"node-{i}.log") for i in range(len(nodes))]
    for slot in subscribers.slots:
        check.slot(slot, node_logs)
    return summary(ledgers, counters, check, args.dir)


def summary(ledgers, counters, check, directory):
    tried = [p for ledger in ledgers.values() for p in ledger.tried]
    result = {
        "messages_tried": len(tried),
        "messages_acknowledged": sum(p.acknowledged for p in tried),
        "publish_503": sum(p.status == "503" for p in tried),
        "publish_no_answer": sum(p.status in ("refused", "timeout") for p in tried),
        "publish_other": sum(p.status not in ("201", "503", "refused", "timeout") for p in tried),
        "deliveries": counters.get("deliveries"),
        "signalled_gaps": counters.get("gaps"),
        "signalled_1012": counters.get("closed_1012"),
        "reconnected": counters.get("reconnected"),
        **check.totals,
    }
    with open(os.path.join(directory, "result"), "w") as out:
        out.writelines(f"{k}={v}\n" for k, v in result.items())
    with open(os.path.join(directory, "cut-off.txt"), "w") as out:
        out.writelines(line + "\n" for line in check.cut_off)
    if check.violations:
        with open(os.path.join(directory, "violations.txt"), "w") as out:
            out.write("\n\n".join(check.violations) + "\n")
        print(f"chaos-ledger: {len(check.violations)} violations of the first rule; the first ones:", flush=True)
        for violation in check.violations[:10]:
            print(violation, flush=True)
    failed = sum(check.totals[k] for k in ("silently_lost", "duplicates", "reordered", "wrong_ids", "never_published"))
    return 1 if failed else 0


def self_test():
    """The check against made-up views: it must find each kind of violation, and pass what keeps the rule."""
    ledger = Ledger("chaos/t")
    for seq in range(6):
        ledger.tried.append(Publish(seq, f"t-{seq}", 0, 10.0 + seq, 10.5 + seq, "201" if seq != 3 else "503"))
        ledger.by_body[f"t-{seq}"] = ledger.tried[-1]

    def totals(*bodies, end="end of run", ended=20.0, opened=1.0):
        slot = Slot("raw", 0, "chaos/t", [Session(opened, events=[(0, b) for b in bodies], ended=ended, end=end)])
        check = Check({"chaos/t": ledger}, Faults([]))
        check.slot(slot, [])
        return {k: v for k, v in check.totals.items() if v and k != "views"}

    everything = ("t-0", "t-1", "t-2", "t-4", "t-5")  # t-3 got a 503: it may be missing
    assert totals(*everything) == {}, totals(*everything)
    assert totals("t-0", "t-1", "t-2", "t-3", "t-4", "t-5") == {}
    assert totals("t-0", "t-2", "t-4", "t-5") == {"silently_lost": 1}
    assert totals("t-0", LOSS, "t-2", "t-4", "t-5") == {"covered_by_signals": 1}
    assert totals("t-0", "t-1", "t-1", "t-2", "t-4", "t-5") == {"duplicates": 1}
    assert totals("t-0", "t-2", "t-1", "t-4", "t-5") == {"reordered": 1}
    assert totals("t-0", "t-1", "t-2", "t-4") == {"silently_lost": 1}
    assert totals("t-0", "t-1", "t-2", "t-4", end="1001", ended=15.6) == {"cut_off_by_close": 1}
    assert totals("t-0", "t-1", "t-2", end="1001", ended=17.0) == {"silently_lost": 1, "cut_off_by_close": 1}
    assert totals("t-0", "t-1", LOSS, end="1012", ended=20.0) == {"covered_by_signals": 3}
    assert totals("t-2", "t-4", "t-5", opened=11.5) == {}  # t-0 and t-1 were sent before it connected
    print("chaos-ledger: self-test passed")


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ports", required=True, help="the nodes' HTTP ports, comma-separated")
    parser.add_argument("--key", required=True, help="the access key")
    parser.add_argument("--dir", required=True, help="the run directory (progress, STOP, faults.log, node logs)")
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--rate", type=float, default=60.0, help="messages per second, all channels together")
    parser.add_argument("--history", action="store_true", help="history is on: JSON and SSE subscribers resume")
    parser.add_argument("--seed", type=int, default=1)
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
