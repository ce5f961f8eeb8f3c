import json
import pathlib

import pytest

import gcwire

VECTORS = pathlib.Path(__file__).parent / "serialization_vectors.json"


@pytest.fixture(scope="session")
def vectors():
    return json.loads(VECTORS.read_text())


@pytest.fixture(scope="session")
def alice():
    return gcwire.Service(gcwire.env("GANTRY_URL"), gcwire.env("GANTRY_TOKEN"))


@pytest.fixture(scope="session")
def bob():
    return gcwire.Service(gcwire.env("GANTRY_URL"), gcwire.env("GANTRY_TOKEN_B"))


@pytest.fixture(scope="session")
def endpoint():
    return gcwire.env("GANTRY_ENDPOINT")


@pytest.fixture(scope="session")
def no_dill_endpoint():
    return gcwire.env("GANTRY_ENDPOINT_NO_DILL")


@pytest.fixture
def run(alice, endpoint):
    """Submits one task per payload of a function as the Executor does and returns its Results, in order."""
    def run_(fn_id, payloads, to=None, **extra):
        group, tasks = alice.submit(to or endpoint, fn_id, payloads, **extra)
        queue = gcwire.ResultQueue(alice, group)
        try:
            results = queue.results(len(tasks))
        finally:
            queue.close()
        assert set(results) == set(tasks), f"results of {len(results)} of {len(tasks)} tasks"
        return [results[t] for t in tasks]
    return run_
