#!/usr/bin/python3
"""Times dbops against Alembic on the same generated revision graphs.

For each size (default 1,000 and 10,000 revisions) it generates the graph
once (bench/gen_repos.py; reused while unchanged), checks both tools see the
same heads, then runs every command N times and keeps the best wall-clock
time (and, separately, the least CPU time: user + sys of the child, which
other load on the machine does not inflate):

    dbops heads                                         vs  alembic heads
    dbops history                                       vs  alembic history
    dbops --alembic <the Alembic project> history       vs  alembic history
      (dbops reads the Alembic project's .py files statically)
    dbops sql upgrade --from base --to heads --plan-json    (parse + graph + full plan)
    dbops sql upgrade --from base --to heads            vs  alembic upgrade heads --sql

and, on graphs of the same shape with depends_on edges (--deps-sizes,
default 10,000 and 100,000 revisions; bench/gen_repos.py --depends-on),
heads, history, history (--alembic) and the full upgrade and downgrade plans.
Alembic's revision map normalises depends_on in quadratic time (about 20 s
for `alembic heads` at 10,000 revisions), so it runs once per command there
(--deps-alembic-runs) and not at all above --alembic-max-revisions: those rows
give dbops' absolute time only.  Its offline SQL raises KeyError on some
depends_on shapes, so there is no offline SQL row for these graphs.

Output goes to /dev/null for both tools.  Alembic's first run compiles the
version files to __pycache__; a warm-up run (not timed) does that, as any
real user's second run would find it done.

    /usr/bin/python3 bench/run_bench.py --dbops build/qt6/app/cli/dbops
    cmake --build build/qt6 --target bench
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_repos  # noqa: E402


def alembic_env():
    env = dict(os.environ)
    for k in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"):
        env.pop(k, None)
    return env


def timed(cmd, env=None, cwd=None):
    """(wall seconds, child CPU seconds) of one run; output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit("benchmark command failed (exit %d): %s\n%s"
                         % (p.returncode, " ".join(cmd), p.stderr.decode(errors="replace")[-2000:]))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best_of(cmd, runs, env=None, cwd=None):
    results = [timed(cmd, env, cwd) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results), [r[0] for r in results]


def run_cases(cases, size, runs, alembic_runs, env, rows):
    """Times each (name, dbops command, alembic command or None); an Alembic
    command two rows share (history) runs once."""
    alembic_times = {}
    for name, dcmd, acmd in cases:
        dw, dc, dall = best_of(dcmd, runs)
        aw = ac = None
        aall = []
        if acmd:
            if tuple(acmd) not in alembic_times:
                alembic_times[tuple(acmd)] = best_of(acmd, alembic_runs, env=env)
            aw, ac, aall = alembic_times[tuple(acmd)]
        ratio = ("%.1fx" % (aw / dw)) if aw else "—"
        cpu_ratio = ("%.1fx" % (ac / dc)) if ac and dc > 0 else "—"
        rows.append((size, name, dw, dc, aw, ac, ratio, cpu_ratio))
        print("  %-45s dbops %-9s (cpu %-9s) alembic %-9s (cpu %-9s) ratio %-7s cpu ratio %s   runs: dbops %s%s"
              % (name, fmt(dw), fmt(dc), fmt(aw), fmt(ac), ratio, cpu_ratio,
                 " ".join("%.3f" % x for x in dall),
                 ("; alembic " + " ".join("%.2f" % x for x in aall)) if aall else ""))


def fmt(seconds):
    if seconds is None:
        return "—"
    return "%.3f s" % seconds if seconds < 10 else "%.1f s" % seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbops", required=True)
    parser.add_argument("--alembic", default="/usr/bin/alembic")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--deps-sizes", default="10000,100000",
                        help="sizes of the graphs with depends_on edges ('' for none)")
    parser.add_argument("--alembic-max-revisions", type=int, default=10000,
                        help="no Alembic runs on bigger depends_on graphs (dbops' absolute time only)")
    parser.add_argument("--deps-alembic-runs", type=int, default=1,
                        help="Alembic runs per command on depends_on graphs (best kept)")
    parser.add_argument("--runs", type=int, default=5, help="dbops runs per command (best kept)")
    parser.add_argument("--alembic-runs", type=int, default=3, help="Alembic runs per command (best kept)")
    parser.add_argument("--no-alembic-sql", action="store_true", help="skip `alembic upgrade heads --sql` (slow)")
    parser.add_argument("--workdir", default=os.path.join("/tmp", "dbops-bench"),
                        help="where the generated repositories live (kept and reused)")
    parser.add_argument("--markdown", help="also write the table (Markdown) to this file")
    args = parser.parse_args()

    dbops = os.path.abspath(args.dbops)
    env = alembic_env()
    rows = []
    print("machine: %s, %d CPUs, load average %s; dbops %s; alembic %s" % (
        platform.platform(), os.cpu_count() or 0, "/".join("%.1f" % x for x in os.getloadavg()), dbops, args.alembic))
    graphs = [(int(x), False) for x in args.sizes.split(",") if x] + \
        [(int(x), True) for x in args.deps_sizes.split(",") if x]
    for size, deps in graphs:
        out = os.path.join(os.path.abspath(args.workdir), ("deps%d" if deps else "revs%d") % size)
        t = time.time()
        info = gen_repos.ensure(size, out, depends_on=deps)
        shape = info["shape"]
        print("\n%d revisions%s (%s) ready in %.1f s at %s" % (size, " with depends_on" if deps else "",
                                                             ", ".join("%s %d" % kv for kv in shape.items()
                                                                       if kv[0] != "revisions"),
                                                             time.time() - t, out))
        repo = os.path.join(out, "dbops")
        ini = os.path.join(out, "alembic", "alembic.ini")
        a = [args.alembic, "-c", ini]
        d = [dbops, "--migrations", repo]
        da = [dbops, "--alembic", os.path.join(out, "alembic")]
        with_alembic = not deps or size <= args.alembic_max_revisions
        alembic_runs = args.deps_alembic_runs if deps else args.alembic_runs

        # Same graph, same answer: compare heads (this also warms Alembic's bytecode cache).
        d_heads = sorted(h["revision"] for h in json.loads(subprocess.run(
            d + ["heads", "--json"], check=True, stdout=subprocess.PIPE).stdout)["heads"])
        if with_alembic:
            a_heads = sorted(line.split()[0] for line in subprocess.run(a + ["heads"], env=env, check=True,
                             stdout=subprocess.PIPE, universal_newlines=True).stdout.splitlines() if line.strip())
            if a_heads != d_heads:
                raise SystemExit("dbops and alembic disagree on the heads of the %d-revision graph" % size)
        if d_heads != info["heads"]:
            raise SystemExit("dbops lists other heads than the generator made for the %d-revision graph" % size)
        # The same heads again with dbops reading the Alembic project itself.
        da_heads = sorted(h["revision"] for h in json.loads(subprocess.run(
            da + ["heads", "--json"], check=True, stdout=subprocess.PIPE).stdout)["heads"])
        if da_heads != d_heads:
            raise SystemExit("dbops --alembic and dbops disagree on the heads of the %d-revision graph" % size)
        # ... and list the same revisions in their history.
        def history_ids(cmd, env=None):
            text = subprocess.run(cmd + ["history"], env=env, check=True, stdout=subprocess.PIPE,
                                  universal_newlines=True).stdout
            return sorted(line.split(" -> ", 1)[1].split()[0].rstrip(",") for line in text.splitlines() if " -> " in line)
        reference = history_ids(a, env) if with_alembic and not deps else history_ids(d)
        if history_ids(da) != reference or len(reference) != size:
            raise SystemExit("dbops --alembic and %s disagree on the history of the %d-revision graph"
                             % ("alembic" if with_alembic and not deps else "dbops", size))

        if deps:
            tag = " (depends_on)"
            cases = [
                ("heads" + tag, d + ["heads"], a + ["heads"]),
                ("history" + tag, d + ["history"], a + ["history"]),
                ("history (--alembic)" + tag, da + ["history"], a + ["history"]),
                ("plan base→heads (--plan-json)" + tag,
                 d + ["sql", "upgrade", "--from", "base", "--to", "heads", "--plan-json"], None),
                ("plan heads→base (--plan-json)" + tag,
                 d + ["sql", "downgrade", "--from", "heads", "--to", "base", "--plan-json"], None),
            ]
            if not with_alembic:
                cases = [(name, dcmd, None) for name, dcmd, _ in cases]
            run_cases(cases, size, args.runs, alembic_runs, env, rows)
            continue

        cases = [
            ("heads", d + ["heads"], a + ["heads"]),
            ("history", d + ["history"], a + ["history"]),
            ("history (--alembic)", da + ["history"], a + ["history"]),
            ("plan base→heads (--plan-json)", d + ["sql", "upgrade", "--from", "base", "--to", "heads", "--plan-json"],
             None),
            ("offline SQL base→heads", d + ["sql", "upgrade", "--from", "base", "--to", "heads"],
             None if args.no_alembic_sql else a + ["upgrade", "heads", "--sql"]),
        ]
        run_cases(cases, size, args.runs, alembic_runs, env, rows)

    header = ("| revisions | operation | dbops (best wall) | dbops CPU | alembic (best wall) | alembic CPU "
              "| alembic/dbops (wall) | alembic/dbops (CPU) |")
    lines = [header, "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size, name, dw, dc, aw, ac, ratio, cpu_ratio in rows:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            "{:,}".format(size), name, fmt(dw), fmt(dc), fmt(aw), fmt(ac), ratio, cpu_ratio))
    table = "\n".join(lines)
    print("\n" + table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
