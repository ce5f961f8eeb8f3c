"""Globus Compute's SDK, as it talks to a service, against Gantry: payloads made as the SDK makes them, results
read from the task group's AMQP queue as its Executor reads them, on the backend the service runs on."""
import pika
import pytest

import gcwire
from gcwire import MPIFunction, ShellFunction, deserialize, dill_code, pack, payload, script


def value(result):
    assert not result.get("error_details"), result["data"]
    return deserialize(result["data"])


def test_the_captured_vectors_run_and_give_the_sdks_bytes(alice, run, vectors):
    fn = alice.register(code=vectors["function_code_plain_function"], name="add")
    [r] = run(fn, [vectors["task_payload_args_(1,'a')_kwargs_{'x':2}"]])
    assert r["data"] == vectors["serialize_result_'1a2'"]


def test_a_plain_function_and_a_closure(alice, run):
    user = script("""
def hello_name(name):
    return f"Hello {name}!"

def make(k):
    def add_k(x):
        return x + k
    return add_k
""")
    [hello] = run(alice.register(user.hello_name), [payload("World")])
    assert value(hello) == "Hello World!"
    results = run(alice.register(user.make(10), name="add_k"), [payload(i) for i in range(5)])
    assert [value(r) for r in results] == [10, 11, 12, 13, 14]


def test_a_set_and_a_tuple_come_back_as_python_values(alice, run):
    user = script("def shapes(n):\n    return {n, n + 1}, (n, 'x')\n")
    [r] = run(alice.register(user.shapes), [payload(3)])
    assert value(r) == ({3, 4}, (3, "x"))


def test_a_numpy_array_comes_back_as_one(alice, run):
    numpy = __import__("numpy")  # Debian's python3-numpy, on the endpoint's Python and here
    user = script("import numpy\ndef evens(n):\n    return numpy.arange(n) * 2\n")
    [r] = run(alice.register(user.evens), [payload(4)])
    result = value(r)
    assert isinstance(result, numpy.ndarray) and result.tolist() == [0, 2, 4, 6]


def test_a_raising_function_shows_the_users_traceback(alice, run):
    user = script("def boom(x):\n    raise ValueError(f'bad {x}')\n")
    [r] = run(alice.register(user.boom), [payload(7)])
    assert r["error_details"]["code"] == "RemoteExecutionError"
    assert r["data"].startswith("Traceback (most recent call last):")
    assert "in boom" in r["data"]
    assert r["data"].rstrip().endswith("ValueError: bad 7")
    assert "python_runner" not in r["data"] and "in call" not in r["data"] and "dev.gantry" not in r["data"]


def test_the_stand_in_shell_function_pickles_as_the_sdks_own(vectors):
    mine = pack([dill_code(ShellFunction("echo hello {name}", name="say_hello"))])
    assert mine == vectors["function_code_shell_function"]


def test_a_shell_function_gives_its_output_and_124_at_its_walltime(alice, run):
    echo = alice.register(ShellFunction("echo hello {name}"), name="ShellFunction")
    [r] = run(echo, [payload(name="gantry")])
    result = value(r)
    assert type(result).__module__ == "globus_compute_sdk.sdk.shell_function"
    assert type(result).__name__ == "ShellResult"
    assert result.stdout == "hello gantry\n" and result.returncode == 0
    sleepy = alice.register(ShellFunction("sleep 10", walltime=0.5), name="ShellFunction")
    [slow] = run(sleepy, [payload()])
    assert value(slow).returncode == 124
    assert value(slow).exception_name == "subprocess.TimeoutExpired"


def test_an_mpi_function_runs_on_two_ranks(alice, run):
    ranks = alice.register(MPIFunction("sh -c 'echo rank $OMPI_COMM_WORLD_RANK'"), name="MPIFunction")
    [r] = run(ranks, [payload()], resource_specification={"num_ranks": 2})
    result = value(r)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split("\n")[:2]) == ["rank 0", "rank 1"]


def test_an_endpoint_whose_allowlist_refuses_dill_refuses_the_task(alice, run, no_dill_endpoint):
    user = script("def f():\n    return 1\n")
    [r] = run(alice.register(user.f), [payload()], to=no_dill_endpoint)
    assert r["error_details"]["code"] == "SERIALIZER_NOT_ALLOWED"
    assert "DillCode" in r["data"]


def test_another_identity_cannot_read_the_result_queue(alice, bob, endpoint):
    user = script("def f():\n    return 1\n")
    group, _ = alice.submit(endpoint, alice.register(user.f), [payload()])
    mine = alice.ok("GET", "/v2/get_amqp_result_connection_url")
    theirs = bob.ok("GET", "/v2/get_amqp_result_connection_url")
    assert theirs["queue_prefix"] != mine["queue_prefix"]
    connection = pika.BlockingConnection(pika.URLParameters(theirs["connection_url"]))
    try:
        with pytest.raises(pika.exceptions.AMQPError):
            connection.channel().basic_get(mine["queue_prefix"] + group)
    finally:
        if connection.is_open:
            connection.close()


def test_a_cancelled_task_is_failed_to_the_sdk(alice, endpoint):
    user = script("def slow():\n    import time\n    time.sleep(30)\n")
    group, [task] = alice.submit(endpoint, alice.register(user.slow), [payload()])
    queue = gcwire.ResultQueue(alice, group)
    try:
        assert alice.call("POST", f"/v3/tasks/{task}/cancel", {})[0] == 200
        status = alice.ok("GET", f"/v2/tasks/{task}")
        assert status["status"] == "failed" and status["pending"] is False
        [r] = queue.results(1).values()
        assert r["task_id"] == task and r["error_details"]["code"] == "TASK_CANCELLED"
    finally:
        queue.close()
