# Gantry's runner for Python-source functions (Globus Compute's "st" format: "name:source").
# Reads {"name", "source", "args", "kwargs"} as JSON on stdin; writes {"ok", "result"} or
# {"ok": false, "type", "traceback"} as JSON on stdout. What the function prints goes to stderr.
import json
import sys
import traceback


def main():
    request = json.loads(sys.stdin.read())
    out = sys.stdout
    sys.stdout = sys.stderr
    try:
        namespace = {"__name__": "__gantry__"}
        exec(compile(request["source"], "<function " + request["name"] + ">", "exec"), namespace)
        result = namespace[request["name"]](*request["args"], **request["kwargs"])
        reply = {"ok": True, "result": json.dumps(result)}
    except BaseException as e:
        kind = type(e)
        name = kind.__qualname__ if kind.__module__ == "builtins" else kind.__module__ + "." + kind.__qualname__
        reply = {"ok": False, "type": name, "traceback": traceback.format_exc()}
    out.write(json.dumps(reply))
    out.flush()


main()
