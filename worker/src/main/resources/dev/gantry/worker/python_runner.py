# Gantry's runner for Python-source functions (Globus Compute's "st" format: "name:source").
# Serves requests until stdin closes: one JSON object per line, {"name", "source", "args", "kwargs", "dir",
# "env"}; answers each with one line, {"ok": true, "result"} or {"ok": false, "type", "traceback"}. The function
# runs in a fresh namespace with "dir" as its working directory and "env" (the task's variables) in os.environ;
# what it prints goes to stderr.
import json
import os
import sys
import traceback


def serve():
    out = sys.stdout
    sys.stdout = sys.stderr
    for line in sys.stdin:
        request = json.loads(line)
        try:
            os.chdir(request["dir"])
            os.environ.update(request.get("env", {}))
            namespace = {"__name__": "__gantry__"}
            exec(compile(request["source"], "<function " + request["name"] + ">", "exec"), namespace)
            result = namespace[request["name"]](*request["args"], **request["kwargs"])
            reply = {"ok": True, "result": json.dumps(result)}
        except BaseException as e:
            kind = type(e)
            name = kind.__qualname__ if kind.__module__ == "builtins" else kind.__module__ + "." + kind.__qualname__
            reply = {"ok": False, "type": name, "traceback": traceback.format_exc()}
        out.write(json.dumps(reply) + "\n")
        out.flush()


serve()
