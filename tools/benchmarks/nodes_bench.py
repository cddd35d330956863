#!/usr/bin/env python3
"""Several intake nodes on PostgreSQL against one node on SQLite, same run.

    nodes_bench.py BIN_DIR VERIFY_CEILING [--quick]

Starts a throwaway PostgreSQL cluster (tests/support/pg_cluster.sh), then, in
alternating rounds: one node on SQLite, one node on PostgreSQL, two nodes on
PostgreSQL (one loader, its connections spread over the nodes), each
saturated and at a steady 200/s below saturation; then one SQLite node and
two PostgreSQL nodes again on a log that already holds 180,000 objections
(logged first, untimed), saturated; then kills the sequencing
node of two several times under load and reads the fail-over time from the
nodes' logs (the dead node's last checkpoint to the new sequencer's first).
Prints the report; medians. A ratio to SQLite is the median of the rounds'
own ratios, as the witness section's is: each round runs the three back to
back, so the drift of a shared machine between rounds cancels.
"""
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime

bin_dir, ceiling = sys.argv[1], float(sys.argv[2])
quick = "--quick" in sys.argv
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cluster = os.path.join(root, "tests", "support", "pg_cluster.sh")
intake, loadgen = os.path.join(bin_dir, "objector-intake"), os.path.join(bin_dir, "objector-loadgen")
interval = 100
count, connections, rounds, kills = (2000, 200, 1, 2) if quick else (12000, 600, 5, 5)
grown, grown_rounds = (20000, 1) if quick else (180000, 3)
work = tempfile.mkdtemp()
state = os.path.join(work, "pg")
ports = iter(range(18211, 18299))


def database():
    """A new empty database on the cluster: its URI."""
    uri = open(os.path.join(state, "uri")).read().strip()
    name = f"bench{next(ports)}"
    subprocess.run(["psql", uri, "-qc", f"CREATE DATABASE {name}"], check=True)
    return uri.replace("/postgres?", f"/{name}?")


def init(store):
    data = tempfile.mkdtemp(dir=work)
    os.rmdir(data)
    args = [intake, "init", "--origin", "bench.example/log", "--dir", data]
    if store != "sqlite":
        args += ["--store", store]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(data, "config.json")
    c = json.load(open(path))
    c["batch"]["interval_ms"] = interval
    c["limits"]["rate_per_second"] = 0
    c["limits"]["max_connections_per_client"] = 0  # the loaders' connections come from one address
    json.dump(c, open(path, "w"), indent=2)
    return data


def copy_node(data):
    other = data + "-2"
    shutil.copytree(data, other)
    os.chmod(other, 0o700)
    return other


def serve(data):
    port = next(ports)
    log = open(os.path.join(data, f"serve-{port}.log"), "w")
    p = subprocess.Popen([intake, "serve", "--dir", data, "--listen", f"127.0.0.1:{port}"], stderr=log,
                         stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/checkpoint", timeout=1)
            return p, port, log.name
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("intake did not start: " + open(log.name).read())


def role(port):
    try:
        return json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1))["role"]
    except OSError:
        return ""


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command's name (its third field first)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_seconds(pids):
    """CPU time of these processes and of their children already reaped
    (utime, stime, cutime, cstime), in seconds."""
    ticks = 0
    for pid in pids:
        try:
            ticks += sum(int(f) for f in stat_fields(pid)[11:15])
        except OSError:
            pass  # ended meanwhile: its time is in its parent's cutime
    return ticks / os.sysconf("SC_CLK_TCK")


def database_pids():
    """The cluster's postmaster and its children (backends, writers, autovacuum)."""
    with open(os.path.join(state, "cluster")) as f:
        data = os.path.join(f.read().strip(), "data")
    with open(os.path.join(data, "postmaster.pid")) as f:
        master = f.readline().strip()
    children = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if stat_fields(pid)[1] == master:
                children.append(pid)
        except OSError:
            pass
    return [master] + children


def load(nodes, total, conns, rate=None, intakes=(), database=False):
    """One loader for all the nodes, as behind a load balancer: its connections
    go to each node in turn and all take the next objection from one queue, so
    the nodes are loaded together to the end. (A loader per node with a fixed
    share each left the faster node idle while the slower one finished.) Its
    figures, with the machine's busy CPU per accepted objection and its idle
    share (every process: loader, nodes, database) over the timed phase, and
    the CPU per accepted objection of the `intakes` (pids) and, with
    `database`, of the cluster's processes, from the loader's start to its end
    (they idle while it signs)."""
    args = [loadgen, "--intake", ",".join(f"http://127.0.0.1:{port}" for _, port in nodes), "--dir", nodes[0][0],
            "--count", str(total), "--connections", str(conns), "--presign", "--json"]
    if rate:
        args += ["--rate", str(rate)]
    db = database_pids if database else list
    before = cpu_seconds(intakes), cpu_seconds(db())
    run = json.loads(subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout)
    after = cpu_seconds(intakes), cpu_seconds(db())
    per = 1e6 / max(run["accepted"], 1)
    return {"per_second": run["per_second"], "p99_ms": run["p99_ms"], "errors": run["errors"],
            "idle": run["machine_idle_share"], "cpu_us": run["machine_busy_seconds"] * per,
            "intakes_us": (after[0] - before[0]) * per, "database_us": (after[1] - before[1]) * per}


def measure(kind, logged=0):
    """Saturated, then at 200/s (not after `logged`: objections logged first, untimed)."""
    store = "sqlite" if kind == "sqlite" else database()
    data = init(store)
    servers = [serve(data)]
    if kind == "postgresql-2":
        servers.append(serve(copy_node(data)))
    time.sleep(0.5)
    nodes = [(data if i == 0 else data + "-2", s[1]) for i, s in enumerate(servers)]
    if logged:
        load(nodes, logged, connections)
    sat = load(nodes, count, connections, intakes=[p.pid for p, _, _ in servers], database=kind != "sqlite")
    low = load(nodes, count // 10, 400, rate=200) if not logged else None
    for p, _, _ in servers:
        p.terminate()
        p.wait()
    return sat, low


def stamp(line):
    return datetime.strptime(re.search(r"ts=(\S+)Z", line).group(1), "%Y-%m-%dT%H:%M:%S.%f").timestamp()


def failovers():
    """Two nodes under a steady load; the sequencer killed `kills` times."""
    data = init(database())
    dirs = [data, copy_node(data)]
    servers = [serve(d) for d in dirs]
    loaders = [subprocess.Popen([loadgen, "--intake", f"http://127.0.0.1:{s[1]}", "--dir", d, "--count", "100000",
                                 "--rate", "100", "--connections", "8"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for d, s in zip(dirs, servers)]
    times = []
    for _ in range(kills):
        time.sleep(1.5)
        leader = next((i for i, s in enumerate(servers) if role(s[1]) == "sequencer"), None)
        if leader is None:
            continue
        p, port, log = servers[leader]
        p.send_signal(signal.SIGKILL)
        p.wait()
        last = max((stamp(l) for l in open(log) if "event=checkpoint" in l), default=None)
        other = servers[1 - leader][2]
        deadline = time.time() + 10
        first = None
        while first is None and time.time() < deadline:
            time.sleep(0.05)
            after = [stamp(l) for l in open(other) if "event=checkpoint" in l and last and stamp(l) > last]
            first = min(after) if after else None
        if last and first:
            times.append(first - last)
        # The killed node comes back on its port, as a follower.
        log_file = open(log, "a")
        servers[leader] = (subprocess.Popen([intake, "serve", "--dir", dirs[leader], "--listen", f"127.0.0.1:{port}"],
                                            stderr=log_file, stdout=subprocess.DEVNULL), port, log)
    for l in loaders:
        l.terminate()
        l.wait()
    for p, _, _ in servers:
        p.terminate()
        p.wait()
    return times


try:
    subprocess.run(["bash", cluster, "start", state], check=True)
    results = {"sqlite": [], "postgresql-1": [], "postgresql-2": []}
    for _ in range(rounds):
        for kind in results:
            results[kind].append(measure(kind))
    med = lambda runs, which, key: statistics.median(r[which][key] for r in runs)
    base = med(results["sqlite"], 0, "per_second")
    ratios = lambda kind: [r[0]["per_second"] / s[0]["per_second"] for r, s in zip(results[kind], results["sqlite"])]
    paired = lambda kind: statistics.median(ratios(kind))
    names = {"sqlite": "one node, SQLite", "postgresql-1": "one node, PostgreSQL", "postgresql-2": "two nodes, PostgreSQL"}
    print(f"  batch interval {interval} ms, the loader (its connections spread over the nodes), the nodes and the "
          f"database on the same {os.cpu_count()} cores, "
          f"medians of {rounds}:")
    for kind, runs in results.items():
        sat = med(runs, 0, "per_second")
        print(f"    {names[kind]:24s} saturated {sat:7.0f}/s = {sat / ceiling:.2f} of the verify ceiling, "
              f"{paired(kind):.2f} of SQLite; machine CPU {med(runs, 0, 'cpu_us'):.0f} us/objection "
              f"(intakes {med(runs, 0, 'intakes_us'):.0f}, "
              f"{'database ' + format(med(runs, 0, 'database_us'), '.0f') if kind != 'sqlite' else 'database in them'}), "
              f"idle {med(runs, 0, 'idle'):.0%}; p99 {med(runs, 0, 'p99_ms'):.0f} ms; "
              f"at 200/s p99 {med(runs, 1, 'p99_ms'):.0f} ms (goal <= {interval + 100}); "
              f"errors {sum(r[0]['errors'] + r[1]['errors'] for r in runs)}")
    two = med(results["postgresql-2"], 0, "per_second")
    print(f"    two PostgreSQL nodes / one SQLite node: {paired('postgresql-2'):.2f}, median of the rounds' ratios "
          f"({two / base:.2f} as a ratio of medians; rounds {' '.join(f'{x:.2f}' for x in ratios('postgresql-2'))}; "
          f"goal >= 0.9)")
    # The same two on a log that already holds `grown` objections: with SQL
    # indexes on random keys (leaf, device key, account; schema 5) SQLite fell
    # to about half its speed here, since each key cost a page written. Both
    # stores now keep those keys in memory (key_index.hpp, INTEGRATION.md;
    # PostgreSQL since its schema 7).
    grown_runs = {"sqlite": [], "postgresql-2": []}
    for _ in range(grown_rounds):
        for kind in grown_runs:
            grown_runs[kind].append(measure(kind, grown)[0])
    grown_ratios = [t["per_second"] / s["per_second"] for s, t in zip(grown_runs["sqlite"], grown_runs["postgresql-2"])]
    gmed = lambda kind, key: statistics.median(r[key] for r in grown_runs[kind])
    print(f"    the same on a log already holding {grown} objections, medians of {grown_rounds}: one SQLite node "
          f"{gmed('sqlite', 'per_second'):.0f}/s (machine CPU {gmed('sqlite', 'cpu_us'):.0f} us/objection), "
          f"two PostgreSQL nodes {gmed('postgresql-2', 'per_second'):.0f}/s "
          f"({gmed('postgresql-2', 'cpu_us'):.0f} us); two / one: {statistics.median(grown_ratios):.2f} "
          f"(rounds {' '.join(f'{x:.2f}' for x in grown_ratios)})")
    times = failovers()
    if times:
        print(f"  fail-over, two nodes at 100/s each, sequencer killed (-9) {len(times)} times: dead node's last "
              f"checkpoint to the new sequencer's first: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms (goal <= 2000)")
finally:
    subprocess.run(["bash", cluster, "stop", state])
    shutil.rmtree(work, ignore_errors=True)
