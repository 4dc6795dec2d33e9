"""The try-out's two flows, one per route in docker/routes.example.yaml.

`release` is deployed as release/production, `checks` as checks/default; their parameters are the ones the routes
send. Each logs what it received and finishes, so the run shows up as Completed in the Prefect UI and Bridge posts a
successful commit status. A tag ending in "-fail" (e.g. v0.0.2-fail) makes the release run fail, to see a failed
status.
"""

from prefect import flow, get_run_logger


@flow(name="release")
def release(commit: str, version: str, build_number: int | None = None, dry_run: bool = False) -> str:
    logger = get_run_logger()
    logger.info("release %s of %s (build %s, dry run %s)", version, commit, build_number, dry_run)
    if version.endswith("-fail"):
        raise RuntimeError(f"version {version} asked for a failed run")
    return f"released {version}"


@flow(name="checks")
def checks(commit: str, branch: str, pull_request: int | None = None) -> str:
    logger = get_run_logger()
    logger.info("post-merge checks of %s on %s (pull request %s)", commit, branch, pull_request)
    return "checks passed"
