"""Globus Compute's wire format, written here as its SDK 4.15 writes it (reference section 2.7), so that the
tests talk to Gantry exactly as the SDK does, with no SDK installed: dill from Debian for code and data, packed
buffers, the REST calls of its Client, and the per-group AMQP result queue of its Executor read with pika.
"""
import base64
import json
import os
import sys
import time
import types
import urllib.error
import urllib.request

import dill
import pika

USER_AGENT = "globus-sdk-py-4.9.0/globus-compute-sdk-4.15.0"


# ---- serialization: "NN\n" + body; packed buffers are "<length>\n<buffer>" ----

def dill_data(obj):
    return "00\n" + base64.encodebytes(dill.dumps(obj)).decode()


def dill_code(fn):
    return "01\n" + base64.encodebytes(dill.dumps(fn)).decode()


def json_data(obj):
    return "11\n" + json.dumps(obj)


def pack(buffers):
    return "".join(f"{len(b)}\n{b}" for b in buffers)


def script(source):
    """The functions {source} defines as a user's script defines them (in __main__): dill pickles those by value."""
    namespace = {"__name__": "__main__"}
    exec(source, namespace)
    return types.SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})


def payload(*args, **kwargs):
    return pack([dill_data(args), dill_data(kwargs)])


def deserialize(buffer):
    ident, body = buffer[:3], buffer[3:]
    if ident in ("00\n", "01\n"):
        return dill.loads(base64.b64decode(body))
    if ident == "11\n":
        return json.loads(body)
    raise ValueError(f"unexpected strategy {ident!r}")


# ---- the SDK's ShellFunction, MPIFunction and ShellResult, under its module names, as its pickles name them ----

def _sdk_module(name):
    module = sys.modules.get(name) or types.ModuleType(name)
    module.__path__ = []
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # pickles find a class through its package's attributes
    return module


class ShellResult:
    pass


class ShellFunction:
    def __init__(self, cmd, stdout=None, stderr=None, walltime=None, snippet_lines=1000, name=None,
                 return_dict=False):
        # the attributes, in the order of its SDK's __init__, are the pickled state its workers unpickle
        self.cmd, self.stdout, self.stderr, self.walltime = cmd, stdout, stderr, walltime
        self.snippet_lines = snippet_lines
        self.__name__ = name or type(self).__name__
        self.return_dict = return_dict

    def __call__(self, **kwargs):
        raise RuntimeError("runs on the endpoint only")


class MPIFunction(ShellFunction):
    pass


if "globus_compute_sdk" not in sys.modules:
    _sdk_module("globus_compute_sdk")
    _sdk_module("globus_compute_sdk.sdk")
    for cls, mod in ((ShellResult, "shell_function"), (ShellFunction, "shell_function"),
                     (MPIFunction, "mpi_function")):
        module = _sdk_module("globus_compute_sdk.sdk." + mod)
        cls.__module__ = module.__name__
        setattr(module, cls.__name__, cls)


# ---- the service ----

class Service:
    def __init__(self, url, token):
        self.url, self.token = url.rstrip("/"), token

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": "Bearer " + self.token, "Content-Type": "application/json",
            "User-Agent": USER_AGENT, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def ok(self, method, path, body=None):
        status, reply = self.call(method, path, body)
        assert status == 200, (status, reply)
        return reply

    def register(self, fn=None, code=None, name=None):
        code = code if code is not None else pack([dill_code(fn)])
        return self.ok("POST", "/v3/functions", {
            "function_name": name or fn.__name__, "function_code": code,
            "meta": {"python_version": "3.11.2", "sdk_version": "4.15.0", "serde_identifier": code.split("\n")[1]}})[
            "function_uuid"]

    def submit(self, endpoint, function_id, payloads, group=None, **extra):
        body = {"create_queue": True, "tasks": {function_id: payloads}, **extra}
        if group:
            body["task_group_id"] = group
        reply = self.ok("POST", f"/v3/endpoints/{endpoint}/submit", body)
        return reply["task_group_id"], reply["tasks"][function_id]


class ResultQueue:
    """A task group's result queue, read as the SDK's result watcher reads it."""

    def __init__(self, service, group):
        info = service.ok("GET", "/v2/get_amqp_result_connection_url")
        self.name = info["queue_prefix"] + group
        self.connection = pika.BlockingConnection(pika.URLParameters(info["connection_url"]))
        self.channel = self.connection.channel()

    def results(self, count, timeout=60):
        """The next {count} Results, by task id: messagepack v1, byte 1 then JSON."""
        out = {}
        deadline = time.time() + timeout
        for method, props, body in self.channel.consume(self.name, inactivity_timeout=1):
            if method is not None:
                assert body[:1] == b"\x01", body[:20]
                message = json.loads(body[1:])
                assert message["message_type"] == "result", message
                out[message["data"]["task_id"]] = message["data"]
                self.channel.basic_ack(method.delivery_tag)
            if len(out) >= count or time.time() > deadline:
                break
        self.channel.cancel()
        return out

    def close(self):
        if self.connection.is_open:
            self.connection.close()


def env(name):
    value = os.environ.get(name)
    assert value, f"{name} is not set: run these tests through the it module's GlobusComputeSdkTest"
    return value
