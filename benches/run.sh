#!/usr/bin/env bash
# Side-by-side benchmarks (issue 6): migrations-core vs refinery vs raw SQL vs Alembic.
#
#   bash benches/run.sh                    # measure the working tree's migrations-core
#   BENCH_REV=HEAD bash benches/run.sh     # measure a commit instead (extracted with git archive
#                                          # into benches/target/rev-<sha>, harness copied beside it)
#   BENCH_QUICK=1 bash benches/run.sh      # one or two repetitions: a smoke test (~5 min)
#   BENCH_SECTIONS=boot,apply bash benches/run.sh   # only some of: boot apply drift build-script busy
#                                                   #   autogen build long
#
# Needs: cargo, python3 (3.9+) with venv and pip (PyPI reachable the first time), and a
# PostgreSQL server at TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# where the user may create databases. Everything it writes goes under benches/target/
# (git-ignored): build output, generated revisions, databases, the Alembic virtualenv, results.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="$here/target"
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p "$CARGO_TARGET_DIR"

ws="$here"
label="working tree of $(git -C "$repo" rev-parse --short=10 HEAD 2>/dev/null || echo '?')"
if [[ -n "$(git -C "$repo" status --porcelain -- migrations-core migrations-build 2>/dev/null)" ]]; then
  label="$label, with uncommitted changes in migrations-core or migrations-build"
fi
if [[ -n "${BENCH_REV:-}" ]]; then
  sha="$(git -C "$repo" rev-parse --short=10 "${BENCH_REV}^{commit}")"
  src="$here/target/rev-$sha"
  rm -rf "$src"
  mkdir -p "$src"
  git -C "$repo" archive "$sha" | tar -x -C "$src"
  rm -rf "$src/benches"
  mkdir -p "$src/benches"
  (cd "$here" && tar -c --exclude=./target .) | tar -x -C "$src/benches"
  ws="$src/benches"
  label="commit $sha"
fi
echo "== measuring migrations-core at: $label"

# PostgreSQL must be there: half of the rows are about it.
python3 - "$TEST_POSTGRES_URL" <<'EOF'
import socket, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
try:
    socket.create_connection((u.hostname or "127.0.0.1", u.port or 5432), timeout=3).close()
except OSError as e:
    sys.exit(f"PostgreSQL is not reachable at {sys.argv[1]} ({e}); start it or set TEST_POSTGRES_URL")
EOF

# Alembic, in a virtualenv of its own.
venv="$here/target/venv"
if [[ ! -x "$venv/bin/alembic" ]]; then
  echo "== creating $venv (alembic, sqlalchemy, psycopg2-binary from PyPI)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'alembic>=1.13,<2' 'sqlalchemy>=2,<3' 'psycopg2-binary>=2.9,<3'
fi

echo "== building the harness (release)"
(cd "$ws" && cargo build --release -p bench-harness)

python3 "$here/scripts/compare.py" --workspace "$ws" --label "$label" --venv "$venv"
