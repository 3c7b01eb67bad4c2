#!/usr/bin/python3
"""Generates benchmark repositories: one revision graph written twice, as a
dbops repository (DIR/dbops/versions/*.sql) and as an Alembic project
(DIR/alembic/alembic.ini, env.py, versions/*.py).

The graph is seeded and deterministic: a trunk with feature branches that
fork off recent revisions and are merged back (2- and 3-way merges), a few
long-lived branches that stay open as extra heads, a second base, and
branch labels on the starts of branches never merged back.  Every revision has a small real upgrade and
downgrade (CREATE TABLE / CREATE INDEX / DROP ...), so dbops parses real SQL.

With --depends-on the same graph also gets depends_on edges (a second seeded
pass, so the down_revision graph is the one without them): about a third of
the revisions depend on 1-3 recent revisions of other branches (several per
revision, across branches), some on a branch label, and a few name a
dependency a down_revision ancestor already declared (Alembic's
normalisation drops those).

    /usr/bin/python3 bench/gen_repos.py --revisions 10000 --out /tmp/bench10k
    /usr/bin/python3 bench/gen_repos.py --revisions 100000 --depends-on --out /tmp/bench100k-deps
"""

import argparse
import json
import os
import random
import shutil

ALEMBIC_INI = """[alembic]
script_location = %(root)s/migr

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %%(levelname)-5.5s [%%(name)s] %%(message)s
"""

ENV_PY = '''from alembic import context

context.configure(url="postgresql://u@localhost/x", literal_binds=True,
                  dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
'''


def generate(n, seed=20250101):
    """Returns [(id, [down...], [labels...], message)] in creation order."""
    rng = random.Random(seed)
    taken = set()

    def new_id():
        while True:
            rev = "%012x" % rng.getrandbits(48)
            if rev not in taken:
                taken.add(rev)
                return rev

    revs = []
    children = {}
    trunk = None  # the trunk's head
    open_branches = []  # heads of feature branches still being worked on
    long_lived = []  # heads never merged back: extra heads at the end
    label_no = 0
    for i in range(n):
        down = []
        labels = []
        roll = rng.random()
        if i == 0 or (i == n // 3):
            down = []  # a second, independent base a third of the way in
            if i:
                labels = ["plugin"]
        elif open_branches and roll < 0.04:
            # merge 1 or 2 feature branches back into the trunk
            k = 2 if len(open_branches) >= 2 and rng.random() < 0.3 else 1
            merged = rng.sample(open_branches, k)
            for b in merged:
                open_branches.remove(b)
            down = [trunk] + merged
        elif roll < 0.10 and revs:
            # fork a feature branch off a recent trunk revision
            start = max(0, len(revs) - 30)
            down = [rng.choice(revs[start:])[0]]
            label_no += 1
            if rng.random() < 0.2:
                labels = ["feature%d" % label_no]
        elif open_branches and roll < 0.45:
            down = [rng.choice(open_branches)]
        else:
            down = [trunk] if trunk else [revs[-1][0]]
        rev = new_id()
        revs.append((rev, down, labels, "revision %d" % (i + 1)))
        children[rev] = 0
        for p in down:
            children[p] += 1
        # bookkeeping: where does the new revision live?
        if not down:
            if trunk is None:
                trunk = rev
            else:
                long_lived.append(rev)
        elif trunk in down:
            trunk = rev
        else:
            parent = down[0]
            if parent in open_branches:
                open_branches[open_branches.index(parent)] = rev
            elif parent in long_lived:
                long_lived[long_lived.index(parent)] = rev
            else:
                # a fork; 1 in 10 forks stays open for good
                (long_lived if rng.random() < 0.1 else open_branches).append(rev)
        # the second base's line grows a little too
        if long_lived and rng.random() < 0.05:
            head = rng.choice(long_lived)
            rev2 = new_id()
            revs.append((rev2, [head], [], "revision %d.1" % (i + 1)))
            children[rev2] = 0
            children[head] += 1
            long_lived[long_lived.index(head)] = rev2
            if len(revs) >= n:
                break
        if len(revs) >= n:
            break
    return keep_labels_off_merged_lines(revs[:n])


def keep_labels_off_merged_lines(revs):
    """Drops the branch label of every revision a merge descends from: teams
    label lines that stay apart (Alembic's docs: independent branches), and
    Alembic shows a label on every descendant (RevisionMap._add_branches), so
    a labelled branch merged back would put it on every later trunk revision
    and `history` would print hundreds of labels per line.  The graph itself
    is unchanged."""
    merges_below = set()  # revisions with a merge among their descendants (or merges themselves)
    children = {}
    for rev, down, _labels, _message in revs:
        for p in down:
            children.setdefault(p, []).append(rev)
    for rev, down, _labels, _message in reversed(revs):
        if len(down) > 1 or any(c in merges_below for c in children.get(rev, ())):
            merges_below.add(rev)
    return [(rev, down, [] if rev in merges_below and labels != ["plugin"] else labels, message)
            for rev, down, labels, message in revs]


def add_depends_on(revs, seed=20250101):
    """Returns [(id, [down...], [labels...], message, [depends_on...])]: the
    graph of generate() with depends_on edges added.  Every dependency names
    an earlier revision (or a label of one), so the graph stays acyclic."""
    rng = random.Random(seed * 31 + 7)
    line = {}  # revision -> the branch it lives on (its first parent's, or its own at a fork)
    first_child = set()
    recent = []  # (id, line) of the last `window` revisions
    window = 200
    declared = {}  # revision -> its depends_on, for redundant declarations below
    plugin = False  # the "plugin" label is defined (by the second base)
    out = []
    for i, (rev, down, labels, message) in enumerate(revs):
        if down and down[0] not in first_child:
            first_child.add(down[0])
            line[rev] = line[down[0]]
        else:
            line[rev] = i  # a base or a fork starts a branch
        deps = []
        roll = rng.random()
        if recent and roll < 0.30:
            others = [r for r in recent if r[1] != line[rev]]
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                if others:
                    target = rng.choice(others)[0]
                    if target not in deps and target not in down:
                        deps.append(target)
        elif roll < 0.33 and down and declared.get(down[0]):
            # the parent's own dependency again: redundant, normalised away
            deps.append(declared[down[0]][0])
        elif roll < 0.35 and plugin:
            deps.append("plugin")  # depends_on a branch label (the second base)
        plugin = plugin or "plugin" in labels
        declared[rev] = deps
        out.append((rev, down, labels, message, deps))
        recent.append((rev, line[rev]))
        if len(recent) > window:
            recent.pop(0)
    return out


def sql_for(rev, i):
    up = ("CREATE TABLE t_%s (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz DEFAULT now());\n"
          "CREATE INDEX ix_%s_name ON t_%s (name);\n" % (rev, rev, rev))
    down = "DROP INDEX ix_%s_name;\nDROP TABLE t_%s;\n" % (rev, rev)
    return up, down


def write_dbops(revs, root):
    versions = os.path.join(root, "versions")
    os.makedirs(versions)
    for i, (rev, down, labels, message, deps) in enumerate(revs):
        up, dn = sql_for(rev, i)
        head = ["-- revision: %s" % rev,
                "-- down_revision: %s" % (", ".join(down) if down else "none"),
                "-- message: %s" % message,
                "-- create_date: 2025-01-01 00:00:00"]
        if labels:
            head.append("-- branch_labels: %s" % ", ".join(labels))
        if deps:
            head.append("-- depends_on: %s" % ", ".join(deps))
        text = "\n".join(head) + "\n\n-- +upgrade\n" + up + "\n-- +downgrade\n" + dn
        with open(os.path.join(versions, "%05d_%s.sql" % (i + 1, rev)), "w") as f:
            f.write(text)


def py_down(down):
    if not down:
        return "None"
    if len(down) == 1:
        return repr(down[0])
    return "(%s)" % ", ".join(repr(d) for d in down)


def write_alembic(revs, root):
    versions = os.path.join(root, "migr", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI % {"root": root})
    with open(os.path.join(root, "migr", "env.py"), "w") as f:
        f.write(ENV_PY)
    for i, (rev, down, labels, message, deps) in enumerate(revs):
        up, dn = sql_for(rev, i)
        lines = ['"""%s' % message, "", "Revision ID: %s" % rev, "Revises: %s" % ", ".join(down),
                 "Create Date: 2025-01-01 00:00:00", '"""', "from alembic import op", "",
                 "revision = %r" % rev, "down_revision = %s" % py_down(down),
                 "branch_labels = %s" % (repr(tuple(labels)) if labels else "None"),
                 "depends_on = %s" % py_down(deps), "", "",
                 "def upgrade():"]
        lines += ["    op.execute(%r)" % s.rstrip(";") for s in up.strip().split("\n")]
        lines += ["", "", "def downgrade():"]
        lines += ["    op.execute(%r)" % s.rstrip(";") for s in dn.strip().split("\n")]
        with open(os.path.join(versions, "%s_rev%d.py" % (rev, i + 1)), "w") as f:
            f.write("\n".join(lines) + "\n")


def describe(revs):
    children = {r[0]: 0 for r in revs}
    for r in revs:
        for p in r[1]:
            children[p] += 1
    shape = {
        "revisions": len(revs),
        "heads": sum(1 for c in children.values() if c == 0),
        "bases": sum(1 for r in revs if not r[1]),
        "branch_points": sum(1 for c in children.values() if c > 1),
        "merges": sum(1 for r in revs if len(r[1]) > 1),
        "labels": sum(len(r[2]) for r in revs),
    }
    deps = sum(len(r[4]) for r in revs)
    if deps:
        shape["depends_on"] = deps
        shape["revisions_with_depends_on"] = sum(1 for r in revs if r[4])
    return shape


def ensure(n, out, seed=20250101, depends_on=False):
    """Writes the pair unless `out` already holds this exact graph; returns
    the graph's shape and its heads."""
    stamp = os.path.join(out, "graph.json")
    want = {"revisions": n, "seed": seed, "generator": 4}
    if depends_on:
        want["depends_on"] = 1
    if os.path.exists(stamp):
        with open(stamp) as f:
            info = json.load(f)
        if info.get("params") == want:
            return info
    shutil.rmtree(out, ignore_errors=True)
    revs = generate(n, seed)
    revs = add_depends_on(revs, seed) if depends_on else [r + ([],) for r in revs]
    write_dbops(revs, os.path.join(out, "dbops"))
    write_alembic(revs, os.path.join(out, "alembic"))
    parents = {p for r in revs for p in r[1]}
    info = {"params": want, "shape": describe(revs), "heads": sorted(r[0] for r in revs if r[0] not in parents)}
    with open(stamp, "w") as f:
        json.dump(info, f)
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisions", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--depends-on", action="store_true", help="add depends_on edges (see above)")
    args = parser.parse_args()
    print(json.dumps(ensure(args.revisions, os.path.abspath(args.out), args.seed, args.depends_on)["shape"]))


if __name__ == "__main__":
    main()
