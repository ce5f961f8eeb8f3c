"""The path of Globus Compute's Executor, timed: dill no-op tasks submitted over REST as its SDK submits them
(batches of 128, create_queue), results read from the task group's AMQP queue as its result watcher reads
them. Run by GlobusComputeBench: python3 gc_executor.py URL TOKEN ENDPOINT [sequential] [burst]."""
import http.client
import json
import pathlib
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python" / "tests"))
import gcwire  # noqa: E402
import pika  # noqa: E402

url, token, endpoint = sys.argv[1:4]
sequential = int(sys.argv[4]) if len(sys.argv) > 4 else 500
burst = int(sys.argv[5]) if len(sys.argv) > 5 else 20000
BATCH = 128

target = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(target.hostname, target.port)  # kept alive, as the SDK's session is
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json", "User-Agent": gcwire.USER_AGENT}


def call(method, path, body=None):
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    data = json.loads(r.read() or b"null")
    assert r.status == 200, (r.status, data)
    return data


fn = gcwire.Service(url, token).register(gcwire.script("def noop(x):\n    return x\n").noop)
payloads = [gcwire.payload(i) for i in range(BATCH)]
group = call("POST", f"/v3/endpoints/{endpoint}/submit",
             {"create_queue": True, "tasks": {fn: payloads[:1]}})["task_group_id"]
info = call("GET", "/v2/get_amqp_result_connection_url")
received = {}
waiting = set()  # ids wait() waits for, not received yet
cond = threading.Condition()


def consume():
    connection = pika.BlockingConnection(pika.URLParameters(info["connection_url"]))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=1000)

    def on_message(ch, method, props, body):
        data = json.loads(body[1:])["data"]
        assert not data.get("error_details"), data
        with cond:
            received[data["task_id"]] = time.perf_counter()
            waiting.discard(data["task_id"])
            if not waiting:
                cond.notify_all()
        ch.basic_ack(method.delivery_tag)

    channel.basic_consume(info["queue_prefix"] + group, on_message)
    channel.start_consuming()


threading.Thread(target=consume, daemon=True).start()


def submit(n):
    ids = []
    for start in range(0, n, BATCH):
        k = min(BATCH, n - start)
        reply = call("POST", f"/v3/endpoints/{endpoint}/submit",
                     {"create_queue": True, "task_group_id": group, "tasks": {fn: payloads[:k]}})
        ids.extend(reply["tasks"][fn])
    return ids


def wait(ids, timeout=300):
    deadline = time.time() + timeout
    with cond:
        waiting.update(i for i in ids if i not in received)
        while waiting:
            assert time.time() < deadline, f"{len(ids) - len(waiting)} of {len(ids)} results"
            cond.wait(0.5)


wait(submit(2000))  # warm-up: the JIT, the interpreters, the queue
lat = []
submits = []
for _ in range(sequential):
    t = time.perf_counter()
    [task] = submit(1)
    submits.append(time.perf_counter() - t)
    wait([task])
    lat.append(received[task] - t)
lat.sort()
submits.sort()
print(f"(of which the submit call: p50 {submits[len(submits) // 2] * 1e3:.2f} ms)")
print(f"round trip over {sequential} sequential dill no-op tasks: p50 {lat[len(lat) // 2] * 1e3:.2f} ms,"
      f" p99 {lat[int(len(lat) * 0.99)] * 1e3:.2f} ms")
t = time.perf_counter()
ids = submit(burst)
print(f"(the {burst} submits took {time.perf_counter() - t:.2f} s)")
wait(ids)
s = max(received[i] for i in ids) - t
print(f"throughput: {burst} dill no-op tasks in {s:.2f} s = {burst / s:.0f} tasks/s")
