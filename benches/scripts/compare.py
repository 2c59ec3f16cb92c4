#!/usr/bin/env python3
"""Runs every comparison of benches/ and prints one report (called by benches/run.sh).

The Rust measurements come from `bench-harness` (RESULT lines); this script adds what must be
timed as whole processes: autogenerate (our `db` CLI vs the `alembic` command) and `cargo build`
of an app embedding 1,000 revisions (migrations-build vs refinery's embed_migrations!).
Results go to benches/target/results.jsonl and benches/target/results.md.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # benches/
QUICK = os.environ.get("BENCH_QUICK") not in (None, "", "0")
REVISIONS = 1000
# Repetitions (medians of these; each timed loop also has an untimed warm-up round, except
# apply and build, whose runs are long and start from scratch anyway).
REPS = {
    "boot": 2 if QUICK else 7,
    "apply": 1 if QUICK else 5,   # SQLite on tmpfs: at least 7 (its runs are short)
    "cold-build": 1 if QUICK else 3,
    "drift": 2 if QUICK else 5,
    "autogen": 2 if QUICK else 5,
    "noop-build": 2 if QUICK else 5,
    "busy": 1 if QUICK else 3,
    "long": 2 if QUICK else 5,
}
BUSY_ROWS = 200_000 if QUICK else 1_000_000
SECTIONS = ["boot", "apply", "drift", "build-script", "autogen", "build", "busy", "long"]
LONG = [1000, 5000, 20000]

results = []


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def record(r):
    results.append(r)


def harness(args, env=None):
    """Runs bench-harness, echoes its progress, keeps its RESULT lines."""
    cmd = [str(HARNESS)] + [str(a) for a in args]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            record(json.loads(line[7:]))
        else:
            print(line)
    if p.returncode != 0:
        sys.exit(f"bench-harness {' '.join(map(str, args))} failed ({p.returncode})")


def ms(seconds):
    return seconds * 1e3


def add(section, backend, row, samples_s, note=""):
    r = {
        "section": section,
        "backend": backend,
        "row": row,
        "median_ms": ms(statistics.median(samples_s)),
        "min_ms": ms(min(samples_s)),
        "runs": len(samples_s),
        "note": note,
    }
    record(r)
    log(f"  {backend:<9} {row:<58} median {r['median_ms']:>10.1f} ms (min {r['min_ms']:.1f}, {r['runs']} runs) {note}")


def run_timed(cmd, cwd=None, env=None):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout[-3000:]}")
    return elapsed, p.stdout


# --------------------------------------------------------------------------------------------
# 4. Autogenerate: our `db revision --autogenerate` vs `alembic revision --autogenerate`.

SCENARIOS = [
    ("initial-sqlite", "sqlite", "200 new tables (the first real revision)"),
    ("one-column-sqlite", "sqlite", "200 tables exist, one column added"),
    ("one-column-postgres", "postgres", "200 tables exist, one column added"),
]


def new_entries(folder, before):
    out = []
    for p in folder.iterdir():
        if p.name not in before and p.name != "__pycache__":
            out.append(p)
    cache = folder / "__pycache__"
    if cache.is_dir():
        for p in cache.iterdir():
            if p.name.split(".")[0] + ".py" not in before:
                out.append(p)
    return out


def pg_admin(sql):
    subprocess.run(["psql", PG_URL, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def pg_url_for(db):
    u = urllib.parse.urlparse(PG_URL)
    return u._replace(path="/" + db).geturl()


def setup_alembic(project, dialect):
    """`alembic init`, the existing revision moved in, env.py pointed at models.py, the database
    upgraded to head. Returns the URL and a cleanup."""
    alembic = [str(VENV / "bin/alembic")]
    if not (project / "migrations").exists():
        subprocess.run(alembic + ["init", "migrations"], cwd=project, check=True, stdout=subprocess.DEVNULL)
        shutil.move(str(project / "0001_existing_tables.py"), str(project / "migrations/versions/"))
        env_py = project / "migrations/env.py"
        env_py.write_text(env_py.read_text().replace(
            "target_metadata = None", "from models import metadata as target_metadata"))
    cleanup = lambda: None
    if dialect == "sqlite":
        db = project / "app.db"
        if db.exists():
            db.unlink()
        url = f"sqlite:///{db}"
    else:
        name = f"bench_alembic_{os.getpid()}"
        pg_admin(f"DROP DATABASE IF EXISTS {name}")
        pg_admin(f"CREATE DATABASE {name}")
        u = urllib.parse.urlparse(pg_url_for(name))
        url = u._replace(scheme="postgresql+psycopg2").geturl()
        cleanup = lambda: pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    ini = project / "alembic.ini"
    lines = [f"sqlalchemy.url = {url}" if l.startswith("sqlalchemy.url") else l
             for l in ini.read_text().splitlines()]
    ini.write_text("\n".join(lines) + "\n")
    subprocess.run(alembic + ["upgrade", "head"], cwd=project, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cleanup


def autogen():
    reps = REPS["autogen"]
    for name, dialect, what in SCENARIOS:
        section = f"autogenerate, 200-table models: {what}"
        log(f"== {section} ({dialect})")
        root = GEN / "autogen" / name
        ours_project = root / "ours"
        alembic_project = root / "alembic"
        cleanup = setup_alembic(alembic_project, dialect)
        try:
            ours_url = f"sqlite:{WORK / 'autogen-app.db'}" if dialect == "sqlite" else PG_URL
            ours_versions = ours_project / "versions"
            ours_before = {p.name for p in ours_versions.iterdir()}
            snapshot = ours_project / "schema.snapshot"
            snap_text = snapshot.read_bytes()
            al_versions = alembic_project / "migrations/versions"
            al_before = {p.name for p in al_versions.iterdir()}

            def ours_once():
                t, out = run_timed([HARNESS, "ours-db", ours_project, name, "--database-url", ours_url,
                                    "revision", "--autogenerate", "--dialect", dialect, "-m", "x"])
                written = new_entries(ours_versions, ours_before)
                assert len(written) == 1, out
                for p in written:
                    p.unlink()
                snapshot.write_bytes(snap_text)
                return t, out

            def alembic_once():
                t, out = run_timed([VENV / "bin/alembic", "revision", "--autogenerate", "-m", "x"],
                                   cwd=alembic_project)
                written = new_entries(al_versions, al_before)
                assert any(p.suffix == ".py" for p in written), out
                for p in written:
                    p.unlink()
                return t, out

            # Warm-up round (page cache, Python bytecode of SQLAlchemy/Alembic): kept for counts.
            # On PostgreSQL it is also our cold run: the kept head is dropped first and built by
            # it (reported apart); the timed runs reuse it, as every run after the first does.
            if dialect == "postgres":
                harness(["drop-kept-head", ours_versions, ours_url])
            cold, ours_out = ours_once()
            _, al_out = alembic_once()
            ours_found = sum(1 for l in ours_out.splitlines() if l.startswith("INFO  [autogenerate] Detected"))
            al_found = sum(1 for l in al_out.splitlines() if "Detected" in l)
            ours_s, al_s = [], []
            for _ in range(reps):
                ours_s.append(ours_once()[0])
                al_s.append(alembic_once()[0])
            add(section, dialect, "ours: `app db revision --autogenerate` (process)", ours_s,
                f"{ours_found} changes detected")
            add(section, dialect, "alembic: `alembic revision --autogenerate` (process)", al_s,
                f"{al_found} changes detected")
            if dialect == "postgres":
                add(section, dialect, "ours: the same, first (cold) run: builds the kept head (process)",
                    [cold], "once")
            # In-process: ours through cli::execute; Alembic through command.revision().
            harness(["autogen", ours_project, name, ours_url, reps])
            p = subprocess.run([VENV / "bin/python", HERE / "scripts/alembic_inproc.py", alembic_project,
                                str(reps)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               check=True)
            samples = json.loads(p.stdout.strip().splitlines()[-1])
            add(section, dialect, "alembic: command.revision(autogenerate=True), in-process", samples)
        finally:
            cleanup()
            if dialect == "postgres":
                harness(["drop-kept-head", ours_project / "versions", PG_URL])


# --------------------------------------------------------------------------------------------
# 5. Build cost: cargo build of an app embedding the 1,000 revisions.

def cargo(args, env=None):
    return run_timed(["cargo"] + args, cwd=WS, env=env)


def timings():
    """Per-unit times of the last `cargo build --timings` (compile the build script, run it,
    compile the crate), from the UNIT_DATA of cargo-timing.html."""
    import re
    try:
        html = (CARGO_TARGET / "cargo-timings/cargo-timing.html").read_text()
        units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\s*\n", html, re.S).group(1))
    except Exception as e:  # the report format is cargo's, not a stable interface
        return f"(no --timings breakdown: {e})"
    parts = []
    for u in units:
        if u["duration"] > 0:
            target = u.get("target", "")
            if u["mode"] == "run-custom-build":
                what = "run build script"
            elif "build-script" in target:
                what = "compile build script"
            else:
                what = "compile crate"
            parts.append(f"{what} {u['duration']:.1f} s")
    return ", ".join(parts)


def build():
    section = f"cargo build of an app embedding {REVISIONS} revisions (dev profile)"
    log(f"== {section}")
    apps = {"ours": "bench-app-ours", "refinery": "bench-app-refinery"}
    # Warm-up, untimed: dependencies compiled (a first run compiles them here), with a
    # 2-revision folder so our build script's run is short; then the 1,000 revisions again.
    # (One package per cargo invocation, exactly as measured below: features unify across the
    # packages of one invocation, so `-p a -p b` would build other artifacts.)
    harness(["gen", GEN, 2])
    for pkg in apps.values():
        cargo(["build", "-p", pkg])
    harness(["gen", GEN, REVISIONS])
    # Cold, for the app: its build script (ours) or proc macro (refinery) and the app crate are
    # rebuilt; dependencies (migrations-core, refinery, rusqlite...) are already compiled.
    # Interleaved, ours then refinery, REPS["cold-build"] times.
    cold = {who: [] for who in apps}
    notes = {}
    for _ in range(REPS["cold-build"]):
        for who, pkg in apps.items():
            cargo(["clean", "-p", pkg])
            t, out = cargo(["build", "-v", "--timings", "-p", pkg])
            cold[who].append(t)
            compiled = [l.split()[1] for l in out.splitlines() if l.strip().startswith("Compiling ")]
            notes[who] = "compiled: " + ", ".join(compiled) + " (last run: " + timings() + ")"
    for who in apps:
        add(section, "sqlite", f"{who}: cold (app crate + its build script/macro)", cold[who], notes[who])
    for who, pkg in apps.items():
        # Nothing changed: must be Fresh, no build script re-run.
        samples, fresh = [], True
        for _ in range(REPS["noop-build"]):
            t, out = cargo(["build", "-v", "-p", pkg])
            samples.append(t)
            fresh &= f"Fresh {pkg}" in out and "build-script-build`" not in out \
                and f"Compiling {pkg}" not in out
        add(section, "sqlite", f"{who}: nothing changed", samples,
            "Fresh, build script not re-run" if fresh else "NOT FRESH: rebuilt or re-ran the build script")
    # A developer adds revision 1001: what does `cargo build` do?
    harness(["gen-one", GEN, REVISIONS])
    try:
        for who, pkg in apps.items():
            t, out = cargo(["build", "-v", "-p", pkg])
            ran_script = "build-script-build`" in out
            recompiled = f"Compiling {pkg}" in out
            exe = CARGO_TARGET / "debug" / pkg
            db = WORK / f"embedded-{who}.db"
            if db.exists():
                db.unlink()
            p = subprocess.run([exe, db], stdout=subprocess.PIPE, text=True, check=True)
            embedded = p.stdout.strip()
            note = ("build script re-ran; " if ran_script else "") + \
                   ("app recompiled; " if recompiled else "app NOT rebuilt (Fresh); ") + f"binary says: {embedded}"
            add(section, "sqlite", f"{who}: after adding revision {REVISIONS + 1}", [t], note)
    finally:
        for f in (GEN / "ours/versions").glob(f"*_r{REVISIONS:04d}.sql"):
            f.unlink()
        for f in (GEN / "refinery").glob(f"V{REVISIONS + 1}__*.sql"):
            f.unlink()


# --------------------------------------------------------------------------------------------
# The report.

def find(section_prefix, backend, row_prefix):
    for r in results:
        if r["section"].startswith(section_prefix) and r["backend"] == backend and r["row"].startswith(row_prefix):
            return r
    return None


def fmt_ms(v):
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def report(label, when=None):
    out = []
    p = out.append
    p(f"Measured: migrations-core at {label}; {when or '?'}; "
      f"{os.cpu_count()} CPUs{'; QUICK mode (1-2 runs)' if QUICK else ''}.")
    p("Times are medians (min in brackets) in milliseconds; ratio = ours / other, from the medians "
      "(and from the minimums in brackets: on a shared machine the minimum is often the steadier figure).\n")

    def table(title, rows):
        p(f"### {title}\n")
        p("| backend | what | median ms (min) | runs | ratio | note |")
        p("|---|---|---:|---:|---|---|")
        for r, ratio in rows:
            if r is None:
                continue
            p(f"| {r['backend']} | {r['row']} | {fmt_ms(r['median_ms'])} ({fmt_ms(r['min_ms'])}) | {r['runs']} | {ratio} | {r.get('note', '')} |")
        p("")

    def ratio(a, b, label):
        if a is None or b is None or b["median_ms"] == 0:
            return ""
        mins = f" (mins {a['min_ms'] / b['min_ms']:.2f}×)" if a["runs"] > 1 and b["runs"] > 1 else ""
        return f"**{a['median_ms'] / b['median_ms']:.2f}×** {label}{mins}"

    verdicts = []

    # 1. Boot.
    rows = []
    for be in ["sqlite", "postgres"]:
        s = "boot, nothing pending"
        ref = find(s, be, "refinery")
        b = find(s, be, "ours: Migrations::boot (")
        f = find(s, be, "ours: Migrations::boot, first")
        u = find(s, be, "ours: Migrations::upgrade_to_head")
        rows += [(b, ratio(b, ref, "refinery")), (f, ratio(f, ref, "refinery")),
                 (u, ratio(u, ref, "refinery")), (ref, "")]
        rows += [(r, "") for r in results if r["section"].startswith(s) and r["backend"] == be
                 and r["row"].startswith(("  ours phase", "  floor"))]
        if u and ref:
            x = u["median_ms"] / ref["median_ms"]
            verdicts.append((f"boot no-op ≤ 0.5× refinery ({be}, upgrade_to_head)", x <= 0.5, f"{x:.2f}×"))
        if b and ref:
            x = b["median_ms"] / ref["median_ms"]
            verdicts.append((f"boot no-op ≤ 0.5× refinery ({be}, boot with drift check, remembered)", x <= 0.5, f"{x:.2f}×"))
        if f and ref:
            x = f["median_ms"] / ref["median_ms"]
            verdicts.append((f"boot no-op ≤ 0.5× refinery ({be}, boot with whole drift check)", x <= 0.5, f"{x:.2f}×"))
    table(f"1. Boot with nothing pending, {REVISIONS} applied revisions", rows)
    for r in results:
        if r["section"].startswith("boot, nothing pending") and "count" in r:
            p(f"Statements on the app's SQLite connection: {json.dumps(r['count'])}\n")

    # 2. Apply.
    rows = []
    for be in ["sqlite", "sqlite-tmpfs", "postgres", "postgres-nosync"]:
        s = "apply"
        raw = find(s, be, "raw SQL, one transaction")
        o = find(s, be, "ours")
        ref = find(s, be, "refinery")
        rawrow = find(s, be, "raw SQL + a history row")
        rows += [(o, ratio(o, raw, "raw") + f", {ratio(o, rawrow, 'raw + history row')}"
                  + (f", {ratio(o, ref, 'refinery')}" if ref else "")),
                 (ref, ratio(ref, raw, "raw")), (raw, ""), (rawrow, ratio(rawrow, raw, "raw"))]
        if o and raw:
            x = o["median_ms"] / raw["median_ms"]
            verdicts.append((f"apply within 1.1× of raw SQL ({be})", x <= 1.1, f"{x:.2f}×"))
    table(f"2. Apply {REVISIONS} revisions to a fresh database", rows)
    for r in results:
        if r["section"].startswith("apply") and "count" in r:
            p(f"Statements on SQLite ({r['backend']}): {json.dumps(r['count'])}\n")

    # 3. Drift.
    rows = [(r, "") for r in results if r["section"].startswith("drift check") and "median_ms" in r]
    table("3. Drift check on 500 tables (introspection + models through a scratch database + diff)", rows)
    for r in results:
        if r["section"].startswith("drift check") and "count" in r:
            c = r["count"]
            p(f"Introspection queries: {json.dumps(c)}\n")
            pg = [v for k, v in c.items() if k.startswith("postgres")]
            # Statements sent; those SQLite runs by itself inside pragma functions (in-process,
            # one per table) are shown beside them but are not queries the tool sends.
            sq = [v for k, v in c.items() if k.startswith("sqlite,") and "tables" in k
                  and "whole" not in k and "inside" not in k]
            verdicts.append(("introspection query count independent of table count (postgres)",
                             len(set(pg)) == 1, " vs ".join(map(str, pg))))
            verdicts.append(("introspection query count independent of table count (sqlite, statements sent)",
                             len(set(sq)) == 1, " vs ".join(map(str, sq))))

    # 4. Autogenerate.
    rows = []
    for name, dialect, what in SCENARIOS:
        s = f"autogenerate, 200-table models: {what}"
        o = find(s, dialect, "ours: `app db")
        a = find(s, dialect, "alembic: `alembic")
        oi = next((r for r in results if r["section"] == f"autogenerate, {name}"), None)
        ai = find(s, dialect, "alembic: command.revision")
        if oi:
            oi = {**oi, "row": f"{name}: " + oi["row"]}
        cold = find(s, dialect, "ours: the same, first (cold) run")
        rows += [(o and {**o, "row": f"{name}: " + o["row"]}, ratio(o, a, "alembic")),
                 (a and {**a, "row": f"{name}: " + a["row"]}, ""),
                 *([(cold, ratio(cold, a, "alembic"))] if cold else []),
                 (oi, ratio(oi, ai, "alembic in-process")),
                 (ai and {**ai, "row": f"{name}: " + ai["row"]}, "")]
        rows += [(r, "") for r in results if r["section"] == f"autogenerate, {name}"
                 and r["row"].startswith(("  ours phase", "    of which"))]
        if o and a:
            x = o["median_ms"] / a["median_ms"]
            verdicts.append((f"autogenerate ≤ 0.05× Alembic ({name}, whole processes)", x <= 0.05, f"{x:.3f}×"))
        if oi and ai:
            x = oi["median_ms"] / ai["median_ms"]
            verdicts.append((f"autogenerate ≤ 0.05× Alembic ({name}, in-process)", x <= 0.05, f"{x:.3f}×"))
    table("4. Autogenerate, 200-table models", rows)

    # 5. Build.
    rows = []
    s = "cargo build"
    for what in ["cold", "nothing changed", "after adding"]:
        o = find(s, "sqlite", f"ours: {what}")
        ref = find(s, "sqlite", f"refinery: {what}")
        if ref and "NOT rebuilt" in ref["note"]:
            rows += [(o, "n/a: refinery did not rebuild (its binary still has the old set)"), (ref, "")]
        else:
            rows += [(o, ratio(o, ref, "refinery")), (ref, "")]
    table(f"5. cargo build of an app embedding {REVISIONS} revisions", rows)
    o = find(s, "sqlite", "ours: nothing changed")
    if o:
        verdicts.append(("no build-script re-run when nothing changed", "NOT" not in o["note"], o["note"]))

    # 3b. Build script phases.
    rows = [(r, "") for r in results if r["section"].startswith("build script phases")]
    table(f"5a. What the build script does with {REVISIONS} revisions, by phase (release build, in-process)", rows)

    # 6. A busy table.
    rows = [(r, "") for r in results if r["section"].startswith("busy table") and "median_ms" in r]
    table("6. A writer on a busy table during each statement the lint flags, and its safe form", rows)

    # 7. Long chains.
    rows = [({**r, "row": r["section"].removeprefix("long chain, ") + ": " + r["row"]}, "")
            for r in results if r["section"].startswith("long chain")]
    table("7. Long chains: " + ", ".join(f"{n:,}" for n in LONG) + " revisions", rows)
    for r in results:
        # Freeing the chain is shown, not a target: an app's chain is never freed.
        if r["section"] == f"long chain, {LONG[0]} revisions" and not r["row"].startswith("free "):
            big = find(f"long chain, {LONG[-1]} revisions", r["backend"], r["row"])
            if big:
                x = big["median_ms"] / r["median_ms"]
                verdicts.append((f"linear: {LONG[-1]:,} revisions ≤ {LONG[-1] // LONG[0]}× {LONG[0]:,} ({r['backend']}, {r['row']})",
                                 x <= LONG[-1] / LONG[0], f"{x:.1f}×"))

    p("### Targets of issue 6\n")
    p("| target | met | measured |")
    p("|---|---|---|")
    for what, ok, val in verdicts:
        p(f"| {what} | {'yes' if ok else '**no**'} | {val} |")
    p("")
    return "\n".join(out)


def main():
    global HARNESS, GEN, WORK, WS, VENV, PG_URL, CARGO_TARGET
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", default=str(HERE))
    ap.add_argument("--label", default="working tree")
    ap.add_argument("--venv", default=str(HERE / "target/venv"))
    ap.add_argument("--report-only", action="store_true",
                    help="print the report of the last run from results.jsonl, measure nothing")
    a = ap.parse_args()
    WS = Path(a.workspace)
    VENV = Path(a.venv)
    CARGO_TARGET = Path(os.environ.get("CARGO_TARGET_DIR", HERE / "target"))
    HARNESS = CARGO_TARGET / "release/bench-harness"
    GEN = WS / "target/gen"
    WORK = WS / "target/work"
    WORK.mkdir(parents=True, exist_ok=True)
    PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    wanted = [s.strip() for s in os.environ.get("BENCH_SECTIONS", ",".join(SECTIONS)).split(",")]
    started = time.time()
    if a.report_only:
        with open(CARGO_TARGET / "results.jsonl") as f:
            rows = [json.loads(l) for l in f]
        meta = next((r["meta"] for r in rows if "meta" in r), {})
        results.extend(r for r in rows if "meta" not in r)
        print(report(meta.get("label", a.label), meta.get("when")))
        if "minutes" in meta:
            print(f"\nWhole run: {meta['minutes']:.1f} min.")
        return

    log(f"== generating {REVISIONS} revisions (ours and refinery) and the autogenerate projects under {GEN}")
    harness(["gen", GEN, REVISIONS])
    if "boot" in wanted:
        harness(["boot", GEN, REPS["boot"]])
    if "apply" in wanted:
        harness(["apply", GEN, REPS["apply"]])
    if "drift" in wanted:
        harness(["drift", 500, REPS["drift"], GEN])
    if "build-script" in wanted:
        harness(["round-trip", GEN])
    if "autogen" in wanted:
        autogen()
    if "build" in wanted:
        build()
    if "busy" in wanted:
        harness(["busy", BUSY_ROWS, REPS["busy"]])
    if "long" in wanted:
        for n in LONG:
            d = GEN / f"../gen-long-{n}"
            if not (d / "ours/versions").is_dir():
                harness(["gen-long", d, n])
            harness(["long-chain", d, REPS["long"]])

    when = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    text = report(a.label, when)
    minutes = (time.time() - started) / 60
    text += f"\nWhole run: {minutes:.1f} min.\n"
    (CARGO_TARGET / "results.md").write_text(text)
    with open(CARGO_TARGET / "results.jsonl", "w") as f:
        f.write(json.dumps({"meta": {"label": a.label, "when": when, "minutes": minutes, "quick": QUICK}}) + "\n")
        for r in results:
            f.write(json.dumps(r) + "\n")
    print("\n" + text)
    print(f"(also in {CARGO_TARGET / 'results.md'} and results.jsonl)")


if __name__ == "__main__":
    main()
