"""Run once by compose's prefect-setup service: registers both deployments on the work pool and exits.

The worker runs the flows from the same directory (/opt/bridge-flows, mounted read-only into both containers).
"""

import os

from prefect import flow

SOURCE = os.path.dirname(os.path.abspath(__file__))
POOL = os.environ.get("BRIDGE_WORK_POOL", "bridge-pool")

DEPLOYMENTS = [
    # (entrypoint, deployment name); the flow names are set in flows.py.
    ("flows.py:release", "production"),
    ("flows.py:checks", "default"),
]

for entrypoint, name in DEPLOYMENTS:
    deployment_id = flow.from_source(source=SOURCE, entrypoint=entrypoint).deploy(
        name=name, work_pool_name=POOL, print_next_steps=False
    )
    print(f"deployment {entrypoint} as {name}: {deployment_id}")
