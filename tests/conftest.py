"""Shared fixtures: the spaCy pipeline (loaded once), fresh stores, and the shared data folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def pytest_collection_modifyitems(config, items):
    # Slow tests run with NEWSGRAPH_SLOW=1 or when selected explicitly with -m slow.
    if os.environ.get("NEWSGRAPH_SLOW") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: set NEWSGRAPH_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def nlp():
    from newsgraph.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture()
def graph(tmp_path, nlp):
    import newsgraph

    g = newsgraph.open(tmp_path / "test.db", nlp=nlp)
    yield g
    g.close()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole session (skipped where PostgreSQL is not installed)."""
    from pgcluster import Cluster, pg_bin

    if pg_bin() is None:
        pytest.skip("PostgreSQL is not installed: sh scripts/setup-debian.sh")
    cluster = Cluster().start()
    yield cluster
    cluster.destroy()
