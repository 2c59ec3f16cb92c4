"""Times `alembic revision --autogenerate` in-process (command.revision), without the
interpreter's start and the imports of SQLAlchemy/Alembic, so it compares with our in-process
row. Usage: python alembic_inproc.py PROJECT REPS. Prints the samples (seconds) as JSON.

One untimed warm-up call first: it imports the models module and the dialect; later calls
re-run env.py (as Alembic does per command) but find those modules in sys.modules.
"""
import json
import os
import sys
import time

from alembic import command
from alembic.config import Config

project, reps = sys.argv[1], int(sys.argv[2])
os.chdir(project)
sys.path.insert(0, project)
versions = os.path.join(project, "migrations", "versions")
before = set(os.listdir(versions))
cfg = Config(os.path.join(project, "alembic.ini"))


def once():
    start = time.perf_counter()
    command.revision(cfg, message="x", autogenerate=True)
    elapsed = time.perf_counter() - start
    for name in set(os.listdir(versions)) - before:
        if name != "__pycache__":
            os.remove(os.path.join(versions, name))
    return elapsed


once()
samples = [once() for _ in range(reps)]
print(json.dumps(samples))
