#!/usr/bin/python3
"""Interoperability test: dbops against Debian's real Alembic.

For a set of hand-made graphs and of seeded random revision DAGs (branch
points, merges of 2-3 parents, several bases, depends_on edges across
branches, branch labels) this writes every graph twice -- as a dbops
repository (versions/*.sql) and as an Alembic project (alembic.ini, env.py,
versions/*.py) -- runs both tools and compares:

  (a) heads: the same set, the same (head) / (effective head) marks;
  (b) history: the same set of revisions, dbops' order (text and --json) is
      a valid topological order (every revision before its down_revisions and
      depends_on), and per revision the same "DOWN -> ID" parents, the same
      dependencies as written, the same branch labels (a label shows on every
      revision of its branch), (head)/(effective head)/(branchpoint)/
      (mergepoint) marks and message;
  (c) upgrade base -> heads offline SQL (`alembic upgrade heads --sql`): the
      same set of revisions, both orders respect the partial order, the same
      "-- Running upgrade FROM -> TO" per revision, each step's SQL is that
      revision's upgrade, the version-table statements replay cleanly and end
      in the same rows; where both tools chose the same order, the rows after
      every step are the same;
  (d) downgrade heads -> base likewise.  `alembic downgrade heads:base --sql`
      is refused by Alembic when there are several heads ("Multiple head
      revisions are present for given argument 'heads'"), so env.py accepts
      `-x starting_rev=a,b,c` and hands the tuple to context.configure(
      starting_rev=...), which Alembic's offline mode does accept;
  (e) upgrade base -> R, and downgrade from the rows an upgrade to heads
      leaves -> R, for a random R (Alembic's rule: drop R's down_revision
      children and all built on them, through depends_on too);
  (g) upgrade S -> heads from a random single row S, or
  (h) upgrade base -> LABEL@head (the two take turns; Alembic is slow to
      start);
  (i) branch-qualified and relative targets (LABEL@head, LABEL@heads,
      LABEL@base, LABEL@REV, LABEL@+N, LABEL@-N, LABEL@base+N, REV@..., +N,
      -N, REV+N, REV-N): a few random ones per random graph, upgrading and
      downgrading from random rows; both tools refuse, or both make a plan
      (compared as in (c)).  The one difference by design: dbops refuses
      -N / +N relative to several current rows (Alembic warns and picks one);
  (j) for hand-made graphs, the targets Alembic refuses (a downgrade to a
      revision the rows only depend on, `upgrade -2`, `downgrade +1`, X@head
      in a downgrade while there are several heads, ...) must be refused by
      dbops too, not planned as nothing; and a graph with a self-reference
      (down_revision or depends_on naming the revision itself, or its own
      label) is refused by both, dbops with the file and line;
  (f) for the linear two-revision project, the version-table statements
      (INSERT / UPDATE / DELETE) and "-- Running" lines must be
      byte-identical, and CREATE TABLE / DROP TABLE alembic_version must
      match (CREATE TABLE compared whitespace-normalised).

Every script is also checked on its own: each step runs exactly its
revision's SQL, the version-table statements replay without touching a
missing row or inserting a present one, and the rows left imply exactly the
revisions that should be applied.  Where Alembic itself gives up on a graph
(its offline bookkeeping raises KeyError for some depends_on shapes, or it
refuses a target) only dbops' side is checked and a note is printed; if
dbops refuses a plan Alembic makes, that is a mismatch.

Python standard library only; run it with /usr/bin/python3.  Exit status 0
when everything matches, 1 on any mismatch (each one is printed), 2 on a
usage or environment error.

    /usr/bin/python3 tests/interop/test_alembic_interop.py --dbops build/qt6/app/cli/dbops
    ... --show-alembic-sample    print Alembic's offline SQL for the linear case
    ... --keep /tmp/interop      keep the generated projects
    ... --inject-fault KIND      corrupt dbops' output on purpose (self-test:
                                 the run must then fail)
"""

import argparse
import difflib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

FAULTS = ("heads", "history-order", "history-parents", "upgrade-order", "upgrade-set",
          "downgrade-order", "version-ops", "linear-format")


class Failure(Exception):
    """The environment (not a comparison) failed: a tool crashed, etc."""


# --------------------------------------------------------------------------
# The graph model: what both tools must agree on, built independently here.

class Rev:
    def __init__(self, index, rev_id, down, deps=(), labels=(), message=None):
        self.index = index
        self.id = rev_id
        self.down = list(down)
        self.deps = list(deps)  # raw: revision ids or branch labels
        self.labels = list(labels)
        self.message = message or "revision %d" % index


class Graph:
    def __init__(self, name, revs, cases=(), invalid=None):
        self.name = name
        self.revs = revs
        # (j): [(direction, start rows, target, expected)], expected "refuse"
        # (both tools refuse), "dbops-refuses" (by design) or "same".
        self.cases = list(cases)
        # A graph both tools must refuse: what dbops' error names ("depends_on", ...).
        self.invalid = invalid
        self.by_id = {r.id: r for r in revs}
        self.label_of = {}
        for r in revs:
            for label in r.labels:
                self.label_of[label] = r.id
        self.children = {r.id: [] for r in revs}
        self.dependents = {r.id: [] for r in revs}
        for r in revs:
            for p in r.down:
                if p in self.children:
                    self.children[p].append(r.id)
            for d in self.resolved_deps(r.id):
                self.dependents[d].append(r.id)

    def resolved_deps(self, rev_id):
        """depends_on with labels resolved, without the down_revisions."""
        r = self.by_id[rev_id]
        out = []
        for d in r.deps:
            d = self.label_of.get(d, d)
            if d not in r.down and d not in out:
                out.append(d)
        return out

    def all_parents(self, rev_id):
        return self.by_id[rev_id].down + self.resolved_deps(rev_id)

    def heads(self):
        return [r.id for r in self.revs if not self.children[r.id]]

    def real_heads(self):
        return [r.id for r in self.revs if not self.children[r.id] and not self.dependents[r.id]]

    def ancestors(self, ids):
        """Inclusive closure through down_revision and depends_on."""
        seen = set()
        todo = list(ids)
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            todo.extend(self.all_parents(i))
        return seen

    def descendants(self, ids):
        seen = set()
        todo = list(ids)
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            todo.extend(self.children[i])
            todo.extend(self.dependents[i])
        return seen


def new_id(rng, taken):
    while True:
        rev_id = "%012x" % rng.getrandbits(48)
        if rev_id not in taken and not rev_id.isdigit():
            taken.add(rev_id)
            return rev_id


def random_graph(seed):
    """A random DAG of 5-40 revisions; the knobs vary with the seed."""
    rng = random.Random(seed)
    n = rng.randint(5, 40) if seed > 2 else (40, 24, 12)[seed]
    p_base = rng.choice((0.0, 0.05, 0.1))
    p_merge = rng.choice((0.1, 0.2, 0.3))
    p_dep = rng.choice((0.1, 0.2, 0.35))
    p_label = rng.choice((0.0, 0.25, 0.5))
    taken = set()
    revs = []
    label_count = 0
    parents_of = {}  # id -> down (for ancestors while generating)
    child_count = {}

    def down_ancestors(rev_id):
        seen, todo = set(), [rev_id]
        while todo:
            i = todo.pop()
            if i not in seen:
                seen.add(i)
                todo.extend(parents_of[i])
        return seen

    for i in range(n):
        heads = [r.id for r in revs if child_count[r.id] == 0]
        roll = rng.random()
        if i == 0 or (i < 3 and seed % 3 == 0) or roll < p_base:
            down = []
        elif len(heads) >= 2 and roll < p_base + p_merge:
            down = rng.sample(heads, min(len(heads), rng.choice((2, 2, 3))))
        elif rng.random() < 0.55 and heads:
            down = [rng.choice(heads)]
        else:
            down = [rng.choice(revs).id]  # often a new branch point
        rev_id = new_id(rng, taken)
        labels = []
        starts_branch = not down or any(child_count[p] > 0 for p in down if len(down) == 1)
        if starts_branch and rng.random() < p_label:
            label_count += 1
            labels = ["br%d_%d" % (seed, label_count)]
        deps = []
        if revs and rng.random() < p_dep:
            below = set()
            for p in down:
                below |= down_ancestors(p)
            others = [r for r in revs if r.id not in below]
            for _ in range(rng.choice((1, 1, 2))):
                if others and rng.random() < 0.9:
                    target = rng.choice(others)
                else:
                    target = rng.choice(revs)  # redundant: already an ancestor
                ref = target.id
                if target.labels and rng.random() < 0.5:
                    ref = target.labels[0]  # depends_on a branch label
                if ref not in deps:
                    deps.append(ref)
        revs.append(Rev(i + 1, rev_id, down, deps, labels))
        parents_of[rev_id] = down
        child_count[rev_id] = 0
        for p in down:
            child_count[p] += 1
    return Graph("seed%d" % seed, revs)


def fixed_graphs():
    """Small graphs whose full plans have one possible order, so the version
    table rows can be compared step by step."""
    a, b = "aaaaaaaaaaaa", "bbbbbbbbbbbb"
    graphs = [Graph("linear2", [Rev(1, a, [], message="one"), Rev(2, b, [a], message="two")])]
    # D -> P -> A -> X, where A and X also depend on D (redundant deps, and
    # a dependency X shares with its ancestor A: Alembic normalises it away).
    d, p, x = "d0d0d0d0d0d0", "e1e1e1e1e1e1", "f2f2f2f2f2f2"
    graphs.append(Graph("redundant_deps", [Rev(1, d, []), Rev(2, p, [d]), Rev(3, a, [p], [d]), Rev(4, x, [a], [d])]))
    # Two bases, a forced order through depends_on, a merge on top.
    c1, c2, m = "c1c1c1c1c1c1", "c2c2c2c2c2c2", "ababababab01"
    graphs.append(Graph("dep_forced_merge", [Rev(1, a, []), Rev(2, b, [a], labels=["lefty"]),
                                             Rev(3, c1, [], ["lefty"]), Rev(4, c2, [a], [c1]),
                                             Rev(5, m, [b, c2])]))
    # Dependencies on plain down_revision ancestors (Alembic keeps these).
    r = ["%012x" % (0x100000000000 + k) for k in range(7)]
    graphs.append(Graph("ancestor_deps", [Rev(1, r[0], []), Rev(2, r[1], [r[0]]), Rev(3, r[2], [r[1]]),
                                          Rev(4, r[3], [r[2]], [r[1]]), Rev(5, r[4], [r[3]]),
                                          Rev(6, r[5], [r[4]]), Rev(7, r[6], [r[5]], [r[0]])]))
    # A 3-parent merge of three branches forced into one order by depends_on.
    q = ["%012x" % (0x200000000000 + k) for k in range(5)]
    graphs.append(Graph("merge3_forced", [Rev(1, q[0], []), Rev(2, q[1], [q[0]]), Rev(3, q[2], [q[0]], [q[1]]),
                                          Rev(4, q[3], [q[0]], [q[2]]), Rev(5, q[4], [q[1], q[2], q[3]])]))
    # A dependency on the revision's own down_revision still counts when a
    # descendant declares it again: Alembic drops it there (so X's downgrade
    # does not bring a row for D back).
    graphs.append(Graph("parent_dep", [Rev(1, d, []), Rev(2, a, [d], [d]), Rev(3, x, [a], [d])]))
    # (j) Targets Alembic refuses.  a -> b (depends_on x), x a second base,
    # a -> c (lab2) -> e: heads b, e (x only an effective head).
    e = "e3e3e3e3e3e3"
    graphs.append(Graph("refusals", [Rev(1, a, []), Rev(2, x, []), Rev(3, b, [a], [x]),
                                     Rev(4, c1, [a], labels=["lab2"]), Rev(5, e, [c1])], cases=[
        ("downgrade", [b], x, "refuse"),              # b only depends on x
        ("downgrade", [b, e], x, "refuse"),
        ("upgrade", [b], "-2", "refuse"),             # a negative relative upgrade
        ("upgrade", [b], "+0", "refuse"),
        ("upgrade", [e], "lab2@-1", "refuse"),
        ("downgrade", [b], "+1", "refuse"),
        ("downgrade", [e], "-0", "refuse"),
        ("downgrade", [e], "lab2@+1", "refuse"),
        ("downgrade", [b, e], "lab2@head", "refuse"),   # X@head in a downgrade, several heads
        ("downgrade", [e], "lab2@head", "refuse"),
        ("downgrade", [b, e], "-1", "dbops-refuses"),   # Alembic warns and takes the first row
        ("downgrade", [b, e], "lab2@-1", "same"),
        ("downgrade", [b, e], e + "@-1", "same"),
        ("downgrade", [b, e], "lab2@base", "same"),
        ("downgrade", [e], "-1", "same"),
        ("upgrade", [], "lab2@head", "same"),
        ("upgrade", [], "lab2@base+1", "same"),
        ("upgrade", [b], "lab2@+2", "same"),
        ("upgrade", [], b + "@heads", "same"),
        ("upgrade", [], "lab2@" + e, "same"),
    ]))
    # Self-references: both tools refuse the whole graph.
    graphs.append(Graph("self_depends_on", [Rev(1, a, []), Rev(2, b, [a], [b])], invalid="depends_on"))
    graphs.append(Graph("self_label_dep", [Rev(1, a, []), Rev(2, b, [a], ["own"], ["own"])], invalid="depends_on"))
    graphs.append(Graph("self_down", [Rev(1, a, []), Rev(2, b, [b])], invalid="down_revision"))
    return graphs


# --------------------------------------------------------------------------
# Writers

def write_dbops(graph, root):
    versions = os.path.join(root, "versions")
    os.makedirs(versions)
    for r in graph.revs:
        lines = ["-- revision: %s" % r.id,
                 "-- down_revision: %s" % (", ".join(r.down) if r.down else "none"),
                 "-- message: %s" % r.message,
                 "-- create_date: 2025-01-01 00:00:%02d" % (r.index % 60)]
        if r.deps:
            lines.append("-- depends_on: %s" % ", ".join(r.deps))
        if r.labels:
            lines.append("-- branch_labels: %s" % ", ".join(r.labels))
        lines += ["", "-- +upgrade", "CREATE TABLE t_%s (id int);" % r.id, "",
                  "-- +downgrade", "DROP TABLE t_%s;" % r.id, ""]
        with open(os.path.join(versions, "%04d_%s_rev.sql" % (r.index, r.id)), "w") as f:
            f.write("\n".join(lines))


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

# Offline only.  `-x starting_rev=a,b` starts an offline run from several
# heads, which `alembic downgrade heads:base --sql` refuses to do.
opts = {}
start = context.get_x_argument(as_dictionary=True).get("starting_rev")
if start:
    opts["starting_rev"] = tuple(start.split(","))
context.configure(url="postgresql://u@localhost/x", literal_binds=True,
                  dialect_opts={"paramstyle": "named"}, **opts)
with context.begin_transaction():
    context.run_migrations()
'''


def py_value(items):
    if not items:
        return "None"
    if len(items) == 1:
        return repr(items[0])
    return "(%s)" % ", ".join(repr(i) for i in items)


def write_alembic(graph, root):
    versions = os.path.join(root, "migr", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI % {"root": root})
    with open(os.path.join(root, "migr", "env.py"), "w") as f:
        f.write(ENV_PY)
    for r in graph.revs:
        body = ['"""%s"""' % r.message, "from alembic import op", "",
                "revision = %r" % r.id,
                "down_revision = %s" % py_value(r.down),
                "branch_labels = %s" % (("(%s,)" % ", ".join(repr(x) for x in r.labels)) if r.labels else "None"),
                "depends_on = %s" % py_value(r.deps), "", "",
                "def upgrade():",
                '    op.execute("CREATE TABLE t_%s (id int)")' % r.id, "", "",
                "def downgrade():",
                '    op.execute("DROP TABLE t_%s")' % r.id, ""]
        with open(os.path.join(versions, "%s_rev%d.py" % (r.id, r.index)), "w") as f:
            f.write("\n".join(body))


# --------------------------------------------------------------------------
# Running the tools

def alembic_env():
    env = dict(os.environ)
    for k in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV"):
        env.pop(k, None)
    env["PYTHONHASHSEED"] = "0"  # Alembic iterates sets: make its choices repeatable
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(cmd, cwd=None, env=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failure("cannot run %s: %s" % (" ".join(cmd), e))
    if p.returncode != 0:
        raise Failure("command failed (exit %d): %s\n%s%s" % (p.returncode, " ".join(cmd), p.stdout, p.stderr))
    return p.stdout


class Tools:
    def __init__(self, dbops, alembic):
        self.dbops = dbops
        self.alembic = alembic
        self.env = alembic_env()

    def dbops_run(self, repo, *args):
        return run([self.dbops, "--migrations", repo] + list(args))

    def alembic_run(self, project, *args):
        return run([self.alembic, "-c", os.path.join(project, "alembic.ini")] + list(args), cwd=project, env=self.env)


# --------------------------------------------------------------------------
# Parsers

FLAG_WORDS = {"head", "effective head", "branchpoint", "mergepoint"}
HISTORY_RE = re.compile(r"^(?P<down>.+?)(?: \((?P<deps>[^()]*)\))? -> (?P<id>[0-9a-f]+)(?P<rest>(?: \([^()]*\))*), (?P<doc>.*)$")
HEAD_RE = re.compile(r"^(?P<id>[0-9a-f]+)(?P<rest>(?: \([^()]*\))*)$")


def split_marks(rest):
    flags, labels = set(), set()
    for token in re.findall(r"\(([^()]*)\)", rest):
        if token in FLAG_WORDS:
            flags.add(token)
        else:
            labels |= {x.strip() for x in token.split(",")}
    return flags, labels


def comma_list(text):
    return [x.strip() for x in text.split(",") if x.strip()]


def parse_heads(text, who):
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        m = HEAD_RE.match(line.strip())
        if not m:
            raise Failure("%s heads: cannot parse line %r" % (who, line))
        flags, labels = split_marks(m.group("rest"))
        out[m.group("id")] = {"flags": flags, "labels": labels}
    return out


def parse_history(text, who):
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = HISTORY_RE.match(line)
        if not m:
            raise Failure("%s history: cannot parse line %r" % (who, line))
        down = [] if m.group("down") == "<base>" else comma_list(m.group("down"))
        flags, labels = split_marks(m.group("rest"))
        entries.append({"id": m.group("id"), "down": down, "deps": comma_list(m.group("deps") or ""),
                        "flags": flags, "labels": labels, "doc": m.group("doc"), "line": line})
    return entries


INSERT_RE = re.compile(r"^INSERT INTO alembic_version \(version_num\) VALUES \('(\w+)'\)"
                       r"(?: RETURNING alembic_version\.version_num)?;$")
UPDATE_RE = re.compile(r"^UPDATE alembic_version SET version_num='(\w+)' "
                       r"WHERE alembic_version\.version_num = '(\w+)';$")
DELETE_RE = re.compile(r"^DELETE FROM alembic_version WHERE alembic_version\.version_num = '(\w+)';$")
RUNNING_RE = re.compile(r"^-- Running (upgrade|downgrade) (.*?) ->(?: (.*))?$")


def parse_script(text, who):
    """Offline SQL -> {"create": str|None, "drop": bool, "steps": [...], "statements": [...]}."""
    script = {"create": None, "drop": False, "steps": [], "statements": [], "running": [], "text": text}
    pending = []
    steps = script["steps"]
    for raw in text.splitlines():
        line = raw.rstrip()
        if not pending and not line.strip():
            continue
        if not pending and line.startswith("--"):
            m = RUNNING_RE.match(line)
            if m:
                script["running"].append(raw)
                steps.append({"direction": m.group(1), "from": comma_list(m.group(2)),
                              "to": comma_list(m.group(3) or ""), "ops": [], "version_sql": [], "body": []})
                continue
            raise Failure("%s: unexpected comment line %r" % (who, line))
        pending.append(line)
        if line.endswith(";"):
            statement = "\n".join(pending)
            pending = []
            script["statements"].append(statement)
            flat = " ".join(statement.split())
            if flat in ("BEGIN;", "COMMIT;"):
                continue
            if flat.startswith("CREATE TABLE alembic_version"):
                if steps:
                    raise Failure("%s: CREATE TABLE alembic_version after a step" % who)
                script["create"] = re.sub(r"\s*([(),;])\s*", r"\1", flat)
                continue
            if flat == "DROP TABLE alembic_version;":
                script["drop"] = True
                continue
            if not steps:
                raise Failure("%s: statement before the first '-- Running' line: %r" % (who, statement))
            step = steps[-1]
            for regex, kind in ((INSERT_RE, "insert"), (UPDATE_RE, "update"), (DELETE_RE, "delete")):
                m = regex.match(statement)
                if m:
                    step["ops"].append((kind,) + m.groups())
                    step["version_sql"].append(statement)
                    break
            else:
                if "alembic_version" in statement:
                    raise Failure("%s: unrecognised version-table statement %r" % (who, statement))
                step["body"].append(statement)
    if pending:
        raise Failure("%s: unterminated statement %r" % (who, "\n".join(pending)))
    for step in steps:
        step["revision"] = step["to"][0] if step["direction"] == "upgrade" else step["from"][0]
    return script


def replay(script, start, who, errors):
    """Applies the version-table statements; returns the rows after each step."""
    rows = set(start)
    states = []
    for step in script["steps"]:
        for op in step["ops"]:
            if op[0] == "insert":
                if op[1] in rows:
                    errors.append("%s: INSERT of %s, which is already in the version table %s" % (who, op[1], sorted(rows)))
                rows.add(op[1])
            elif op[0] == "update":
                new, old = op[1], op[2]
                if old not in rows:
                    errors.append("%s: UPDATE from %s, which is not in the version table %s" % (who, old, sorted(rows)))
                if new in rows:
                    errors.append("%s: UPDATE to %s, which is already in the version table" % (who, new))
                rows.discard(old)
                rows.add(new)
            else:
                if op[1] not in rows:
                    errors.append("%s: DELETE of %s, which is not in the version table %s" % (who, op[1], sorted(rows)))
                rows.discard(op[1])
        states.append(frozenset(rows))
    return states


# --------------------------------------------------------------------------
# Checks

def check_topological(graph, order, newest_first, what, errors):
    pos = {rev: i for i, rev in enumerate(order)}
    if len(pos) != len(order):
        errors.append("%s: a revision is listed twice: %s" % (what, order))
    for rev in order:
        for p in graph.all_parents(rev):
            if p not in pos:
                continue
            ok = pos[rev] < pos[p] if newest_first else pos[p] < pos[rev]
            if not ok:
                errors.append("%s: %s is listed %s %s, which it builds on (order: %s)"
                              % (what, rev, "after" if newest_first else "before", p, " ".join(order)))
                return


def check_heads(graph, alembic_heads, dbops_heads, dbops_json, errors):
    want = set(graph.heads())
    for who, got in (("alembic", set(alembic_heads)), ("dbops", set(dbops_heads)), ("dbops --json", set(dbops_json))):
        if got != want:
            errors.append("(a) heads: %s lists %s, the graph has %s (missing %s, extra %s)"
                          % (who, sorted(got), sorted(want), sorted(want - got), sorted(got - want)))
    for rev in set(alembic_heads) & set(dbops_heads):
        if alembic_heads[rev]["flags"] != dbops_heads[rev]["flags"]:
            errors.append("(a) heads: %s is marked %s by alembic but %s by dbops"
                          % (rev, sorted(alembic_heads[rev]["flags"]), sorted(dbops_heads[rev]["flags"])))


def check_history(graph, alembic_entries, dbops_entries, dbops_json, errors, notes):
    want = {r.id for r in graph.revs}
    a_ids = [e["id"] for e in alembic_entries]
    d_ids = [e["id"] for e in dbops_entries]
    j_ids = [e["revision"] for e in dbops_json]
    for who, got in (("alembic", a_ids), ("dbops", d_ids), ("dbops --json", j_ids)):
        if set(got) != want or len(got) != len(want):
            errors.append("(b) history: %s lists %d revisions %s, the graph has %d (missing %s)"
                          % (who, len(got), "" if set(got) == want else "(different set)", len(want),
                             sorted(want - set(got))))
    check_topological(graph, d_ids, True, "(b) dbops history order", errors)
    check_topological(graph, j_ids, True, "(b) dbops history --json order", errors)
    check_topological(graph, a_ids, True, "(b) alembic history order (sanity)", errors)
    if d_ids != j_ids:
        errors.append("(b) dbops history text and --json disagree on the order")
    notes["history_same_order"] = a_ids == d_ids
    a_by = {e["id"]: e for e in alembic_entries}
    j_by = {e["revision"]: e for e in dbops_json}
    for d in dbops_entries:
        a = a_by.get(d["id"])
        if a is None:
            continue
        rid = d["id"]
        if a["down"] != d["down"]:
            errors.append("(b) history %s: alembic says '%s -> %s', dbops says '%s -> %s'"
                          % (rid, ", ".join(a["down"]) or "<base>", rid, ", ".join(d["down"]) or "<base>", rid))
        # Both print depends_on as written (labels unresolved, redundant
        # entries kept).
        if a["deps"] != d["deps"]:
            errors.append("(b) history %s: dependencies alembic %s, dbops %s" % (rid, a["deps"], d["deps"]))
        # dbops --json lists them resolved, without the parents.
        resolved_deps = []
        for x in d["deps"]:
            x = graph.label_of.get(x, x)
            if x not in d["down"] and x not in resolved_deps:
                resolved_deps.append(x)
        if a["flags"] != d["flags"]:
            errors.append("(b) history %s: marks alembic %s, dbops %s\n    alembic: %s\n    dbops:   %s"
                          % (rid, sorted(a["flags"]), sorted(d["flags"]), a["line"], d["line"]))
        if a["doc"] != d["doc"]:
            errors.append("(b) history %s: message alembic %r, dbops %r" % (rid, a["doc"], d["doc"]))
        # A label shows on every revision of its branch, in both tools.
        if set(d["labels"]) != set(a["labels"]):
            errors.append("(b) history %s: dbops shows labels %s, alembic %s" % (rid, d["labels"], a["labels"]))
        j = j_by.get(rid)
        if j is not None:
            if j["down_revisions"] != d["down"] or set(j["depends_on"]) != set(resolved_deps):
                errors.append("(b) history %s: dbops --json (down %s, depends_on %s) disagrees with its text line %r"
                              % (rid, j["down_revisions"], j["depends_on"], d["line"]))
            want_head = "head" in d["flags"] or "effective head" in d["flags"]
            if j["is_head"] != want_head:
                errors.append("(b) history %s: dbops --json is_head=%s, text marks %s" % (rid, j["is_head"], d["flags"]))


def check_steps_body(graph, script, who, errors):
    for step in script["steps"]:
        rev = step["revision"]
        if rev not in graph.by_id:
            errors.append("%s: step for unknown revision %s" % (who, rev))
            continue
        want_from = graph.by_id[rev].down if step["direction"] == "upgrade" else [rev]
        want_to = [rev] if step["direction"] == "upgrade" else graph.by_id[rev].down
        if step["from"] != want_from or step["to"] != want_to:
            errors.append("%s: '-- Running %s %s -> %s', expected '%s -> %s'"
                          % (who, step["direction"], ", ".join(step["from"]), ", ".join(step["to"]),
                             ", ".join(want_from), ", ".join(want_to)))
        want_body = ["CREATE TABLE t_%s (id int);" % rev] if step["direction"] == "upgrade" else ["DROP TABLE t_%s;" % rev]
        if step["body"] != want_body:
            errors.append("%s: step %s runs %s, expected %s" % (who, rev, step["body"], want_body))


def check_plans(graph, what, upgrade, start, alembic_script, dbops_script, dbops_plan, want_set, errors, notes,
                trusted=True):
    """`want_set` is the set of revisions to run, from this file's model of
    Alembic's rules; `trusted=False` when that model is only used if Alembic
    itself produced a plan to confirm it.  `alembic_script` is None when
    Alembic gave up on this graph: then only dbops' side is checked (set,
    order, steps, version-table replay)."""
    scripts = [("dbops", dbops_script)]
    if alembic_script is not None:
        scripts.insert(0, ("alembic", alembic_script))
    orders = {who: [s["revision"] for s in script["steps"]] for who, script in scripts}
    d_order = orders["dbops"]
    if want_set is None:
        want_set = set(orders.get("alembic", d_order))
    if alembic_script is None and not trusted:
        want_set = set(d_order)
    before = graph.ancestors(start) if start else set()
    if upgrade and want_set & before:
        errors.append("%s: the plan re-runs applied revisions %s" % (what, sorted(want_set & before)))
    if not upgrade and want_set - before:
        errors.append("%s: the plan rolls back revisions that are not applied: %s" % (what, sorted(want_set - before)))
    want_applied = (before | want_set) if upgrade else (before - want_set)
    j_order = [s["revision"] for s in dbops_plan["steps"]]
    for who, order in orders.items():
        if set(order) != want_set or len(order) != len(want_set):
            errors.append("%s: %s runs %d steps, expected the %d revisions of the closure (missing %s, extra %s)"
                          % (what, who, len(order), len(want_set), sorted(want_set - set(order)),
                             sorted(set(order) - want_set)))
    if d_order != j_order:
        errors.append("%s: dbops --plan-json order differs from its SQL's '-- Running' order" % what)
    for s in dbops_plan["steps"]:
        r = graph.by_id.get(s["revision"])
        if r is None:
            continue
        want = (r.down, [r.id]) if upgrade else ([r.id], r.down)
        if (s["from"], s["to"]) != want:
            errors.append("%s: dbops --plan-json step %s from %s to %s, expected %s -> %s"
                          % (what, r.id, s["from"], s["to"], want[0], want[1]))
    states, ends = {}, {}
    for who, script in scripts:
        check_topological(graph, orders[who], not upgrade, "%s %s order" % (what, who), errors)
        check_steps_body(graph, script, "%s %s" % (what, who), errors)
        states[who] = replay(script, start, "%s %s version table" % (what, who), errors)
        ends[who] = set(states[who][-1]) if states[who] else set(start)
        if script["steps"]:
            creates = script["create"] is not None
            if creates != (upgrade and not start):
                errors.append("%s: %s %s CREATE TABLE alembic_version" % (what, who, "emits" if creates else "lacks"))
            drops = script["drop"]
            if drops != (not upgrade and not ends[who]):
                errors.append("%s: %s %s DROP TABLE alembic_version" % (what, who, "emits" if drops else "lacks"))
    d_end = ends["dbops"]
    for who in ends:
        applied = graph.ancestors(ends[who]) if ends[who] else set()
        if applied != want_applied:
            message = ("%s: %s leaves the version table as %s, which means %d revisions applied, not the %d expected "
                       "(missing %s, extra %s)" % (what, who, sorted(ends[who]), len(applied), len(want_applied),
                                                   sorted(want_applied - applied), sorted(applied - want_applied)))
            if who == "dbops":
                errors.append(message)
            else:
                notes.setdefault("alembic_odd", []).append(message)
    if dbops_plan.get("end_heads") is not None and set(dbops_plan["end_heads"]) != d_end:
        errors.append("%s: dbops --plan-json end_heads %s, but its SQL leaves %s"
                      % (what, sorted(dbops_plan["end_heads"]), sorted(d_end)))
    if alembic_script is None:
        notes["compared"] = notes.get("compared", 0)
        return
    notes["compared"] = notes.get("compared", 0) + 1
    a_order = orders["alembic"]
    if set(a_order) != set(d_order):
        errors.append("%s: alembic and dbops run different revisions: only alembic %s, only dbops %s"
                      % (what, sorted(set(a_order) - set(d_order)), sorted(set(d_order) - set(a_order))))
    if d_end != ends["alembic"]:
        errors.append("%s: the version table ends as %s with dbops, %s with alembic"
                      % (what, sorted(d_end), sorted(ends["alembic"])))
    a_from = {s["revision"]: (s["from"], s["to"]) for s in alembic_script["steps"]}
    for s in dbops_script["steps"]:
        if s["revision"] in a_from and a_from[s["revision"]] != (s["from"], s["to"]):
            a = a_from[s["revision"]]
            errors.append("%s: alembic runs '%s -> %s', dbops '%s -> %s'"
                          % (what, ", ".join(a[0]), ", ".join(a[1]), ", ".join(s["from"]), ", ".join(s["to"])))
    if a_order == d_order:
        notes.setdefault("same_order", []).append(what)
        for k, rev in enumerate(a_order):
            if states["alembic"][k] != states["dbops"][k]:
                errors.append("%s: same order, but after step %d (%s) the version table is %s with alembic, %s "
                              "with dbops\n    alembic: %s\n    dbops:   %s"
                              % (what, k + 1, rev, sorted(states["alembic"][k]), sorted(states["dbops"][k]),
                                 alembic_script["steps"][k]["version_sql"], dbops_script["steps"][k]["version_sql"]))
                break
    if alembic_script["create"] and dbops_script["create"] and alembic_script["create"] != dbops_script["create"]:
        errors.append("%s: CREATE TABLE alembic_version differs (whitespace-normalised):\n    alembic: %s\n"
                      "    dbops:   %s" % (what, alembic_script["create"], dbops_script["create"]))


def normalised_text(text):
    """The whole script with the two differences reported on their own
    (CREATE TABLE alembic_version layout, INSERT ... RETURNING) taken out."""
    text = re.sub(r"CREATE TABLE alembic_version \((.|\n)*?\);",
                  lambda m: re.sub(r"\s*([(),;])\s*", r"\1", " ".join(m.group(0).split())), text)
    return text.replace(" RETURNING alembic_version.version_num;", ";")


def check_linear_text(alembic_text, dbops_text, what, errors):
    a, d = normalised_text(alembic_text).split("\n"), normalised_text(dbops_text).split("\n")
    if a != d:
        diff = list(difflib.unified_diff(a, d, "alembic", "dbops", n=1, lineterm=""))[:20]
        errors.append("%s: the scripts differ beyond the CREATE TABLE layout and RETURNING:\n%s"
                      % (what, "\n".join("      " + repr(x)[1:-1] for x in diff)))


def check_linear_format(alembic_script, dbops_script, what, errors):
    """Byte-exact version-table statements and '-- Running' lines."""
    if alembic_script["running"] != dbops_script["running"]:
        errors.append("%s: '-- Running' lines differ:\n    alembic: %s\n    dbops:   %s"
                      % (what, alembic_script["running"], dbops_script["running"]))
    a = [sql for s in alembic_script["steps"] for sql in s["version_sql"]]
    d = [sql for s in dbops_script["steps"] for sql in s["version_sql"]]
    if a != d:
        diff = ["      alembic: %s\n      dbops:   %s" % (x, y) for x, y in zip(a, d) if x != y]
        if len(a) != len(d):
            diff.append("      (alembic has %d version-table statements, dbops %d)" % (len(a), len(d)))
        errors.append("%s: version-table statements are not byte-identical (linear case):\n%s" % (what, "\n".join(diff)))


# --------------------------------------------------------------------------
# Fault injection (self-test of the comparisons)

def inject(fault, key, value):
    if fault == "heads" and key == "heads":
        lines = value.splitlines()
        return "\n".join(lines[1:]) + "\n" if len(lines) > 1 else "ffffffffffff (head)\n"
    if fault == "history-order" and key == "history":
        lines = value.splitlines()
        return "\n".join(lines[::-1]) + "\n"
    if fault == "history-parents" and key == "history":
        return value.replace("<base> -> ", "ffffffffffff -> ", 1)
    if fault == "upgrade-order" and key == "upgrade":
        blocks = re.split(r"(?=^-- Running )", value, flags=re.M)
        head, steps = blocks[0], blocks[1:]
        if len(steps) > 1:
            steps[0], steps[-1] = steps[-1], steps[0]
            if not steps[0].rstrip().endswith(";"):
                pass
        return head + "".join(steps)
    if fault == "upgrade-set" and key == "upgrade":
        blocks = re.split(r"(?=^-- Running )", value, flags=re.M)
        if len(blocks) > 2:
            tail = blocks[-1]
            commit = tail[tail.find("COMMIT;"):] if "COMMIT;" in tail else ""
            return "".join(blocks[:-1]) + commit
    if fault == "downgrade-order" and key == "downgrade":
        blocks = re.split(r"(?=^-- Running )", value, flags=re.M)
        if len(blocks) > 2:
            first, last = blocks[1], blocks[-1]
            tail = ""
            cut = last.find("DROP TABLE alembic_version;")
            if cut < 0:
                cut = last.find("COMMIT;")
            if cut >= 0:
                last, tail = last[:cut], last[cut:]
            return blocks[0] + last + "".join(blocks[2:-1]) + first + tail
    if fault == "version-ops" and key in ("upgrade", "downgrade"):
        return re.sub(r"^UPDATE alembic_version SET version_num='(\w+)' WHERE alembic_version\.version_num = '(\w+)';$",
                      r"INSERT INTO alembic_version (version_num) VALUES ('\1');", value, count=1, flags=re.M)
    if fault == "linear-format" and key in ("upgrade", "downgrade"):
        return value.replace("BEGIN;\n\n", "BEGIN;\n", 1)
    return value


# --------------------------------------------------------------------------
# One scenario

def check_graph(tools, graph, workdir, args, rng):
    errors, notes, timings = [], {}, {}
    repo = os.path.join(workdir, graph.name, "dbops")
    project = os.path.join(workdir, graph.name, "alembic")
    write_dbops(graph, repo)
    write_alembic(graph, project)
    if graph.invalid:
        check_invalid(tools, graph, repo, project, errors)
        return errors, notes, timings
    heads = graph.heads()
    real_heads = graph.real_heads()

    def dbops(key, *cmd):
        t = time.time()
        out = tools.dbops_run(repo, *cmd)
        timings["dbops"] = timings.get("dbops", 0) + time.time() - t
        return inject(args.inject_fault, key, out) if args.inject_fault else out

    def alembic(*cmd):
        t = time.time()
        out = tools.alembic_run(project, *cmd)
        timings["alembic"] = timings.get("alembic", 0) + time.time() - t
        return out

    def alembic_script(what, *cmd):
        """Alembic's offline SQL, or None when Alembic itself gives up on the
        graph (its offline head bookkeeping raises on some depends_on shapes);
        then only dbops' side of that comparison is checked."""
        try:
            return parse_script(alembic(*cmd), "alembic " + " ".join(cmd))
        except Failure as e:
            text = str(e)
            if ("Traceback" not in text and "FAILED:" not in text) or "ImportError" in text \
                    or "ModuleNotFoundError" in text:
                raise
            last = [l for l in text.splitlines() if l.strip()][-1].strip()
            frame = re.findall(r'File "[^"]*/(alembic/[^"]+)", line (\d+), in (\w+)', text)
            where = "%s:%s %s" % frame[-1] if frame else "?"
            notes.setdefault("alembic_failed", []).append("%s: alembic %s raised %s (at %s)"
                                                          % (what, " ".join(cmd), last, where))
            return None

    # (a) heads
    a_heads = parse_heads(alembic("heads"), "alembic")
    d_heads = parse_heads(dbops("heads", "heads"), "dbops")
    d_heads_json = [h["revision"] for h in json.loads(dbops("heads-json", "heads", "--json"))["heads"]]
    check_heads(graph, a_heads, d_heads, d_heads_json, errors)

    # (b) history
    a_hist = parse_history(alembic("history"), "alembic")
    d_hist = parse_history(dbops("history", "history"), "dbops")
    d_hist_json = json.loads(dbops("history-json", "history", "--json"))["revisions"]
    check_history(graph, a_hist, d_hist, d_hist_json, errors, notes)

    def compare(what, upgrade, start, dbops_from, dbops_to, alembic_cmd, want_set, trusted=True):
        """Runs one plan through both tools and compares.  Returns the parsed
        (alembic, dbops) scripts (None where a tool refused)."""
        direction = "upgrade" if upgrade else "downgrade"
        a_script = alembic_script(what, *alembic_cmd)
        try:
            d_text = dbops(direction, "sql", direction, "--from", dbops_from, "--to", dbops_to)
            d_plan = json.loads(dbops(direction + "-plan", "sql", direction, "--from", dbops_from, "--to", dbops_to,
                                      "--plan-json"))
        except Failure as e:
            if a_script is None:
                notes.setdefault("both_refused", []).append(what)
                return None, None
            errors.append("%s: dbops refuses a plan alembic makes (%d steps): %s"
                          % (what, len(a_script["steps"]), str(e).strip().splitlines()[-1]))
            return a_script, None
        d_script = parse_script(d_text, "dbops sql %s --from %s --to %s" % (direction, dbops_from, dbops_to))
        check_plans(graph, what, upgrade, start, a_script, d_script, d_plan, want_set, errors, notes, trusted)
        return a_script, d_script

    all_ids = {r.id for r in graph.revs}
    # (c) upgrade base -> heads
    a_up, d_up = compare("(c) upgrade base->heads", True, [], "base", "heads", ("upgrade", "heads", "--sql"), all_ids)
    # (d) downgrade heads -> base, from every head (as `--from heads` does);
    # Alembic refuses `downgrade heads:base --sql`, so env.py takes -x starting_rev
    start = ",".join(heads)
    a_down, d_down = compare("(d) downgrade heads->base", False, heads, "heads", "base",
                             ("-x", "starting_rev=" + start, "downgrade", "heads:base", "--sql"), all_ids)
    # ... and from the rows an upgrade to heads leaves (effective heads are not rows)
    real = ",".join(real_heads)
    if set(real_heads) != set(heads):
        compare("(d) downgrade real-heads->base", False, real_heads, real, "base",
                ("-x", "starting_rev=" + real, "downgrade", "heads:base", "--sql"), all_ids)

    if not args.no_partial and len(graph.revs) > 2:
        # (e) upgrade base -> R, downgrade real heads -> R
        target = rng.choice(graph.revs).id
        compare("(e) upgrade base->%s" % target, True, [], "base", target, ("upgrade", target, "--sql"),
                graph.ancestors([target]))
        # Alembic drops the target's down_revision children and everything
        # built on them (through depends_on too); what merely depends on the
        # target itself stays, since the target stays.
        compare("(e) downgrade real-heads->%s" % target, False, real_heads, real, target,
                ("-x", "starting_rev=" + real, "downgrade", "heads:" + target, "--sql"),
                graph.descendants(graph.children[target]), trusted=False)
        # Alembic starts slowly (~0.25 s a call): (g) and (h) take turns.
        if not graph.label_of or rng.random() < 0.5:
            # (g) upgrade from a revision S (the only row) to heads
            source = rng.choice(graph.revs).id
            compare("(g) upgrade %s->heads" % source, True, [source], source, "heads",
                    ("upgrade", source + ":heads", "--sql"), all_ids - graph.ancestors([source]))
        else:
            # (h) upgrade base -> LABEL@head
            label = rng.choice(sorted(graph.label_of))
            compare("(h) upgrade base->%s@head" % label, True, [], "base", label + "@head",
                    ("upgrade", label + "@head", "--sql"), None, trusted=False)

    def both(what, direction, start, target, expected):
        """(i), (j): one target through both tools; they refuse together or
        make the same plan (checked as in (c))."""
        rows = ",".join(start)
        if len(start) > 1:
            a_cmd = ("-x", "starting_rev=" + rows, direction, "heads:" + target, "--sql")
        else:
            a_cmd = (direction, (rows + ":" if rows else "") + target, "--sql")
        a_text = a_refusal = None
        try:
            a_text = alembic(*a_cmd)
        except Failure as e:
            text = str(e)
            if "FAILED:" not in text and "Traceback" not in text:
                raise
            a_refusal = [line for line in text.splitlines() if line.strip()][-1].strip()
        d_text = d_plan = d_refusal = None
        d_args = ("sql", direction, "--from", rows or "base", "--to", target)
        try:
            d_text = dbops(direction, *d_args)
            d_plan = json.loads(dbops(direction + "-plan", *(d_args + ("--plan-json",))))
        except Failure as e:
            d_refusal = str(e).strip().splitlines()[-1]
        several = len(set(start)) > 1 and re.match(r"^[+-]\d+$", target)
        if expected == "dbops-refuses" or (expected is None and several):
            if d_refusal is None:
                errors.append("%s: dbops makes a plan; it refuses a target relative to several rows" % what)
            return
        if expected == "refuse" and (a_refusal is None or d_refusal is None):
            errors.append("%s: expected both tools to refuse; alembic: %s; dbops: %s"
                          % (what, a_refusal or "makes a plan", d_refusal or "makes a plan"))
            return
        if expected == "same" and (a_refusal is not None or d_refusal is not None):
            errors.append("%s: expected both tools to make a plan; alembic: %s; dbops: %s"
                          % (what, a_refusal or "makes a plan", d_refusal or "makes a plan"))
            return
        if a_refusal is not None and d_refusal is not None:
            notes.setdefault("both_refused", []).append("%s (alembic: %s; dbops: %s)" % (what, a_refusal, d_refusal))
            return
        if a_refusal is not None and not a_refusal.startswith("FAILED:"):
            # Alembic crashed (its offline KeyError on depends_on shapes, an AssertionError).
            notes.setdefault("alembic_failed", []).append("%s: alembic raised %s" % (what, a_refusal))
            return
        if a_refusal is not None or d_refusal is not None:
            errors.append("%s: %s refuses (%s), %s makes a plan"
                          % ((what, "alembic", a_refusal, "dbops") if a_refusal else (what, "dbops", d_refusal, "alembic")))
            return
        a_script = parse_script(a_text, "alembic " + " ".join(a_cmd))
        d_script = parse_script(d_text, "dbops " + " ".join(d_args))
        check_plans(graph, what, direction == "upgrade", start, a_script, d_script, d_plan, None, errors, notes,
                    trusted=False)

    for direction, start, target, expected in graph.cases:
        both("(j) %s %s->%s" % (direction, ",".join(start) or "base", target), direction, start, target, expected)

    if graph.name.startswith("seed") and graph.label_of and not args.no_partial:
        # (i) a few branch-qualified or relative targets, from random rows
        ids = [r.id for r in graph.revs]
        for _ in range(2):
            branch = rng.choice(sorted(graph.label_of) + [rng.choice(ids)])
            target = rng.choice(["%s@head", "%s@heads", "%s@base", "%s@" + rng.choice(ids), "%s@+1", "%s@+2",
                                 "%s@-1", "%s@base+1", "%s@base+2", "%s@" + rng.choice(ids) + "-1", "%s@head-1",
                                 "-1", "+1", rng.choice(ids) + "-1"]).replace("%s", branch)
            start = rng.choice([[], real_heads, [rng.choice(ids)]])
            direction = rng.choice(["upgrade", "downgrade"]) if start else "upgrade"
            both("(i) %s %s->%s" % (direction, ",".join(start) or "base", target), direction, start, target, None)

    # (f) exact format, linear case
    if graph.name == "linear2":
        check_linear_format(a_up, d_up, "(f) linear upgrade", errors)
        check_linear_format(a_down, d_down, "(f) linear downgrade", errors)
        a_texts = (a_up["text"], a_down["text"])
        d_texts = (d_up["text"], d_down["text"])
        check_linear_text(a_texts[0], d_texts[0], "(f) linear upgrade text", errors)
        check_linear_text(a_texts[1], d_texts[1], "(f) linear downgrade text", errors)
        notes["alembic_sample"] = a_texts
    return errors, notes, timings


def check_invalid(tools, graph, repo, project, errors):
    """(j) A self-reference: Alembic refuses the graph, and so must dbops,
    naming the file and line of the offending header."""
    try:
        tools.alembic_run(project, "heads")
        errors.append("(j) %s: alembic accepts the graph" % graph.name)
    except Failure:
        pass
    for cmd in (("heads",), ("check",)):
        try:
            tools.dbops_run(repo, *cmd)
            errors.append("(j) %s: dbops %s accepts a graph with a self-reference" % (graph.name, cmd[0]))
        except Failure as e:
            text = str(e)
            bad = next(r for r in graph.revs if r.id in r.down or r.id in r.deps
                       or any(d in r.labels for d in r.deps))
            line = 2 if graph.invalid == "down_revision" else 5  # the header's line in write_dbops
            where = "%04d_%s_rev.sql:%d:" % (bad.index, bad.id, line)
            if where not in text or graph.invalid not in text:
                errors.append("(j) %s: dbops %s should name %s and %s:\n%s"
                              % (graph.name, cmd[0], where, graph.invalid, text.strip()))


def describe(graph):
    merges = sum(1 for r in graph.revs if len(r.down) > 1)
    merges3 = sum(1 for r in graph.revs if len(r.down) > 2)
    bases = sum(1 for r in graph.revs if not r.down)
    deps = sum(len(r.deps) for r in graph.revs)
    label_deps = sum(1 for r in graph.revs for d in r.deps if d in graph.label_of)
    labels = sum(len(r.labels) for r in graph.revs)
    points = sum(1 for r in graph.revs if len(graph.children[r.id]) > 1)
    eff = len(graph.heads()) - len(graph.real_heads())
    return {"revisions": len(graph.revs), "heads": len(graph.heads()), "effective_heads": eff, "bases": bases,
            "branch_points": points, "merges": merges, "merges3": merges3, "depends_on": deps,
            "depends_on_label": label_deps, "labels": labels}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dbops", required=True, help="the dbops binary")
    parser.add_argument("--alembic", default="/usr/bin/alembic", help="Alembic's CLI (default /usr/bin/alembic)")
    parser.add_argument("--seeds", type=int, default=12, help="number of random DAGs (default 12)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--only", help="run only this scenario (e.g. seed5 or linear2)")
    parser.add_argument("--no-partial", action="store_true", help="skip the (e) partial upgrade/downgrade checks")
    parser.add_argument("--keep", help="write the projects here and keep them")
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--show-alembic-sample", action="store_true",
                        help="print Alembic's offline SQL for the linear two-revision project")
    parser.add_argument("--inject-fault", choices=FAULTS, help="corrupt dbops' output on purpose (self-test)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    for tool in (args.dbops, args.alembic):
        if not os.access(tool, os.X_OK):
            print("error: %s is not executable" % tool, file=sys.stderr)
            return 2
    tools = Tools(os.path.abspath(args.dbops), args.alembic)
    graphs = fixed_graphs() + [random_graph(s) for s in range(args.first_seed, args.first_seed + args.seeds)]
    if args.only:
        graphs = [g for g in graphs if g.name == args.only]
        if not graphs:
            print("error: no scenario named %s" % args.only, file=sys.stderr)
            return 2

    if args.keep:
        workdir = os.path.abspath(args.keep)
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
    else:
        workdir = tempfile.mkdtemp(prefix="dbops-interop-")
    started = time.time()
    results = {}
    lock = threading.Lock()

    def one(graph):
        rng = random.Random("partial-" + graph.name)
        try:
            result = check_graph(tools, graph, workdir, args, rng)
        except Failure as e:
            result = (["environment/tool failure: %s" % e], {}, {})
        with lock:
            results[graph.name] = result
        return result

    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(one, graphs))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    failed = 0
    totals = {}
    for graph in graphs:
        errors, notes, timings = results[graph.name]
        shape = describe(graph)
        for k, v in shape.items():
            totals[k] = totals.get(k, 0) + v
        summary = " ".join("%s=%d" % kv for kv in shape.items() if kv[1])
        status = "FAIL" if errors else "ok"
        print("%-4s %-18s %s" % (status, graph.name, summary))
        if args.verbose and notes:
            same = notes.get("same_order", [])
            print("       history in alembic's order: %s; plans in alembic's order: %s"
                  % (notes.get("history_same_order"), ", ".join(same) or "none"))
            if notes.get("label_display"):
                print("       alembic shows inherited branch labels on %d revision(s) dbops does not"
                      % len(notes["label_display"]))
        for n in notes.get("alembic_failed", []) + notes.get("alembic_odd", []) + \
                ["%s: both tools refuse" % w for w in notes.get("both_refused", [])]:
            print("       note: " + n.replace("\n", "\n             "))
        for e in errors:
            print("     - " + e.replace("\n", "\n       "))
        failed += bool(errors)
        if graph.name == "linear2" and args.show_alembic_sample and "alembic_sample" in notes:
            up, down = notes["alembic_sample"]
            print("\n----- alembic upgrade heads --sql (linear2) -----\n" + up)
            print("----- alembic -x starting_rev=bbbbbbbbbbbb downgrade heads:base --sql (linear2; the same as 'alembic downgrade bbbbbbbbbbbb:base --sql') -----\n" + down)

    # The random graphs must actually exercise every feature the test is about.
    if not args.only and args.seeds >= 12 and args.first_seed == 0:
        for feature in ("bases", "merges3", "depends_on", "depends_on_label", "labels", "effective_heads",
                        "branch_points"):
            if totals.get(feature, 0) == 0:
                print("FAIL generator: no scenario has any %s" % feature)
                failed += 1
    print("%d scenario(s), %d failed, %.1f s (%s)" % (len(graphs), failed, time.time() - started,
                                                       " ".join("%s=%d" % kv for kv in totals.items())))
    if args.inject_fault:
        print("(fault injected into dbops' output: %s)" % args.inject_fault)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
