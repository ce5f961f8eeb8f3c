# Gantry's runner for Python functions in any of Globus Compute's serialization strategies.
# Serves requests until stdin closes: one JSON object per line,
#   {"code": <one serialized buffer>, "payload": <packed args and kwargs>, "serializers": [class names, or none for
#    Globus Compute's default],
#    "dir": <working directory>, "env": {variables}}
# and answers each with one line: {"ok": true, "result": <serialized buffer>}, or
# {"ok": false, "kind": "user" | "setup", "type": <exception class>, "traceback": <text>}. "user" is an exception
# the function raised (its traceback holds no frame of this runner); "setup" is a task that could not start
# (its code or arguments did not decode, or its result could not be serialized). What the function prints goes
# to stderr, the task's output, marked at its end. Globus Compute's ShellFunction, MPIFunction and ShellResult unpickle without its SDK installed.
import codecs
import importlib
import json
import keyword
import os
import pickle
import sys
import traceback
import types

_dill = None


def dill():
    global _dill
    if _dill is None:
        try:
            import dill as module
        except ImportError:
            raise ImportError(
                "this endpoint's Python (%s, %s) cannot import dill, which Globus Compute's default serializers"
                " need: install dill there (on Debian: apt-get install python3-dill), or set the endpoint's"
                " 'python' to an interpreter that has it" % (sys.executable, sys.version.split()[0])) from None
        _dill = module
    return _dill


# ---- Globus Compute's wire format: "NN\n" + body; packed buffers are "<length>\n<buffer>" repeated ----

def unpack_buffers(packed):
    out = []
    while packed:
        length, rest = packed.split("\n", 1)
        n = int(length)
        out.append(rest[:n])
        packed = rest[n:]
    return out


def pack_buffers(buffers):
    return "".join("%d\n%s" % (len(b), b) for b in buffers)


def _b64(body):
    return codecs.decode(body.encode(), "base64")


def _source(body, separator=":"):
    name, text = body.split(separator, 1)
    namespace = {}
    exec(text, namespace)
    return namespace[name]


def _dill_source(body):
    name, text = dill().loads(_b64(body))
    namespace = {}
    exec(text, namespace)
    return namespace[name]


def _combined(body):
    parts = body.split(":")
    errors = []
    for ident, encoded in zip(parts[0::2], parts[1::2]):
        try:
            return deserialize(ident + encoded)
        except Exception as e:
            errors.append("%s: %s" % (ident.strip(), e))
    raise ValueError("no part of the combined code decodes: %s" % "; ".join(errors))


def _combo(body):
    errors = []
    for buffer in unpack_buffers(body):
        try:
            return deserialize(buffer)
        except Exception as e:
            errors.append("%s: %s" % (buffer[:2], e))
    raise ValueError("no part of the combined buffer decodes: %s" % "; ".join(errors))


DECODERS = {
    "00": lambda body: dill().loads(_b64(body)),
    "01": lambda body: dill().loads(_b64(body)),
    "02": lambda body: pickle.loads(_b64(body)),
    "03": _dill_source,
    "04": _dill_source,
    "10": _combined,
    "11": json.loads,
    "12": _combo,
    "13": _combo,
    "st": _source,
    "sd": _source,
}


def deserialize(buffer):
    ident, body = buffer[:2], buffer[3:]
    if buffer[2:3] != "\n" or ident not in DECODERS:
        raise ValueError("unknown serialization strategy %r" % buffer[:3])
    return DECODERS[ident](body)


def _dill_b64(ident):
    return lambda obj: ident + "\n" + codecs.encode(dill().dumps(obj), "base64").decode()


def _source_of(ident, getsource):
    def serialize(fn):
        return ident + "\n" + fn.__name__ + ":" + getsource(fn)
    return serialize


def _inspect_source(fn):
    import inspect
    return inspect.getsource(fn)


def _dill_getsource(fn):
    return dill().source.getsource(fn, lstrip=True)


def _all(ident, names):
    def serialize(obj):
        buffers, errors = [], []
        for name in names:
            try:
                buffers.append(ENCODERS[name][1](obj))
            except Exception as e:
                errors.append("%s: %s" % (name, e))
        if not buffers:
            raise ValueError("; ".join(errors))
        return ident + "\n" + pack_buffers(buffers)
    return serialize


# Result serializers by class name: (for code, serialize)
ENCODERS = {
    "DillDataBase64": (False, _dill_b64("00")),
    "JSONData": (False, lambda obj: "11\n" + json.dumps(obj)),
    "AllDataStrategies": (False, _all("13", ["JSONData", "DillDataBase64"])),
    "DillCode": (True, _dill_b64("01")),
    "PureSourceTextInspect": (True, _source_of("st", _inspect_source)),
    "PureSourceDill": (True, _source_of("sd", _dill_getsource)),
    "AllCodeStrategies": (True, _all("12", ["PureSourceTextInspect", "PureSourceDill", "DillCode"])),
}
DEFAULT_SERIALIZERS = ["DillDataBase64", "DillCode"]


def serialize_result(value, names):
    errors = []
    for name in names or DEFAULT_SERIALIZERS:
        for_code, encode = ENCODERS[name]
        if for_code != callable(value):
            errors.append("%s is a %s strategy" % (name, "code" if for_code else "data"))
            continue
        try:
            return encode(value)
        except Exception as e:
            errors.append("%s: %s: %s" % (name, type(e).__name__, e))
    raise TypeError("the result (%s) cannot be serialized with %s: %s"
                    % (type(value).__name__, names or DEFAULT_SERIALIZERS, "; ".join(errors)))


# ---- Globus Compute's ShellFunction, MPIFunction and ShellResult, when its SDK is not installed ----

class ShellResult:
    def __init__(self, cmd, stdout, stderr, returncode, exception_name=None):
        self.cmd = cmd
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode
        self.exception_name = exception_name

    def __repr__(self):
        return "ShellResult(returncode=%r, cmd=%r)" % (self.returncode, self.cmd)


class ShellFunction:
    def __init__(self, cmd, stdout=None, stderr=None, walltime=None, snippet_lines=1000, name=None,
                 return_dict=False):
        name = name or type(self).__name__
        if not (name.isidentifier() and not keyword.iskeyword(name)):
            raise ValueError("Function name must be valid python name")
        self.cmd, self.stdout, self.stderr, self.walltime = cmd, stdout, stderr, walltime
        self.snippet_lines, self.__name__, self.return_dict = snippet_lines, name, return_dict

    def _command(self, kwargs):
        return self.cmd.format(**kwargs)

    def __call__(self, **kwargs):
        return run_shell(self, self._command(kwargs))


class MPIFunction(ShellFunction):
    def _command(self, kwargs):
        if not os.environ.get("PARSL_MPI_PREFIX"):
            raise ValueError("an MPIFunction needs a resource_specification (num_ranks, or num_nodes and"
                             " ranks_per_node) in its submit")
        return "$PARSL_MPI_PREFIX " + self.cmd.format(**kwargs)


def run_shell(fn, cmd):
    import subprocess
    import tempfile
    prefix = os.environ.get("GC_TASK_UUID", "task") + "."
    files = []
    for given, suffix in ((fn.stdout, ".stdout"), (fn.stderr, ".stderr")):
        path = given or tempfile.NamedTemporaryFile(dir=os.getcwd(), prefix=prefix, suffix=suffix).name
        if os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
        files.append(open(path, "a+"))
    out, err = files
    exception_name = None
    try:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, shell=True, executable="/bin/bash",
                                close_fds=False, start_new_session=True)
        try:
            returncode = proc.wait(timeout=fn.walltime)
            if returncode != 0:
                exception_name = "subprocess.CalledProcessError"
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            returncode = 124
            exception_name = "subprocess.TimeoutExpired"
    finally:
        snippets = []
        for f in files:
            f.seek(0)
            snippets.append("".join(f.readlines()[-fn.snippet_lines:]))
            f.close()
    result = {"cmd": cmd, "stdout": snippets[0], "stderr": snippets[1], "returncode": returncode,
              "exception_name": exception_name}
    if fn.return_dict:
        return result
    return sys.modules["globus_compute_sdk.sdk.shell_function"].ShellResult(**result)


def install_sdk_stand_ins():
    """The SDK's own classes when it is installed; these stand-ins under its names when it is not."""
    try:
        importlib.import_module("globus_compute_sdk.sdk.shell_function")
        importlib.import_module("globus_compute_sdk.sdk.mpi_function")
        return
    except ImportError:
        pass
    for name in ("globus_compute_sdk", "globus_compute_sdk.sdk"):
        package = sys.modules.get(name) or types.ModuleType(name)
        package.__path__ = []
        sys.modules[name] = package
    shell = types.ModuleType("globus_compute_sdk.sdk.shell_function")
    mpi = types.ModuleType("globus_compute_sdk.sdk.mpi_function")
    for module, classes in ((shell, (ShellResult, ShellFunction)), (mpi, (MPIFunction,))):
        for cls in classes:
            cls.__module__ = module.__name__
            setattr(module, cls.__name__, cls)
        sys.modules[module.__name__] = module
    sys.modules["globus_compute_sdk"].sdk = sys.modules["globus_compute_sdk.sdk"]
    sys.modules["globus_compute_sdk.sdk"].shell_function = shell
    sys.modules["globus_compute_sdk.sdk"].mpi_function = mpi


# ---- the loop ----

def call(fn, args, kwargs):
    return fn(*args, **kwargs)


def user_traceback(e):
    """The traceback from the user's first frame: the runner's frames are dropped."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code is not call.__code__:
        tb = tb.tb_next
    tb = tb.tb_next if tb is not None else e.__traceback__
    return "".join(traceback.format_exception(type(e), e, tb))


def type_name(e):
    kind = type(e)
    return kind.__qualname__ if kind.__module__ == "builtins" else kind.__module__ + "." + kind.__qualname__


def failure(kind, e, text):
    return {"ok": False, "kind": kind, "type": type_name(e), "traceback": text}


BASE_ENVIRONMENT = dict(os.environ)
_environment = dict(BASE_ENVIRONMENT)  # what os.environ holds since the last task began
_raw = dict(getattr(os.environ, "_data", {}))  # the same, encoded (CPython keeps it so), quick to compare


def set_environment(task_variables):
    """os.environ as the interpreter started, with the task's variables: changing only what differs from the
    last task's, unless that task's function changed it (then every variable is set again)."""
    global _environment, _raw
    target = dict(BASE_ENVIRONMENT)
    target.update(task_variables)
    unchanged = _raw == getattr(os.environ, "_data", None) if _raw else dict(os.environ) == _environment
    was = _environment if unchanged else dict(os.environ)
    for key in was.keys() - target.keys():
        del os.environ[key]
    for key, val in target.items():
        if was.get(key) != val:
            os.environ[key] = val
    _environment = target
    _raw = dict(getattr(os.environ, "_data", {}))


def run(request):
    os.chdir(request["dir"])
    set_environment(request.get("env") or {})
    try:
        fn = deserialize(request["code"])
        args, kwargs = (deserialize(b) for b in unpack_buffers(request["payload"]))
        if not callable(fn):
            raise TypeError("the function's code decodes to a %s, which cannot be called" % type(fn).__name__)
    except Exception as e:
        return failure("setup", e, "the task's function or arguments could not be decoded: %s: %s"
                       % (type_name(e), e))
    try:
        value = call(fn, args, kwargs)
    except BaseException as e:
        return failure("user", e, user_traceback(e))
    try:
        return {"ok": True, "result": serialize_result(value, request.get("serializers"))}
    except Exception as e:
        return failure("setup", e, str(e))


def serve():
    out = sys.stdout
    sys.stdout = sys.stderr
    install_sdk_stand_ins()
    for line in sys.stdin:
        reply = run(json.loads(line))
        sys.stderr.flush()
        sys.__stderr__.write("\0gantry:end\n")
        sys.__stderr__.flush()
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
