"""Globus Compute's own SDK, pointed at a Gantry service in one line.

    import gantry_compute
    with gantry_compute.executor("<endpoint id>") as ex:
        print(ex.submit(hello_name, "World").result())

``client()`` and ``executor(endpoint)`` return the SDK's ``Client`` and ``Executor`` (``globus-compute-sdk``
must be installed), talking to the service and with the token in Gantry's credentials: ``$GANTRY_HOME``, else
``~/.gantry``, ``credentials.json``, which ``gantry service start`` writes.
"""
import json
import os
import pathlib

__all__ = ["client", "executor", "credentials"]


def credentials():
    """The service URL and token of this user's Gantry credentials, as a (url, token) pair."""
    home = pathlib.Path(os.environ.get("GANTRY_HOME") or pathlib.Path.home() / ".gantry")
    path = home / "credentials.json"
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise RuntimeError(f"no Gantry credentials at {path}: start a service (gantry service start), "
                           "or set GANTRY_HOME to the directory that holds them") from None
    return data["service_url"].rstrip("/"), data["token"]


def client(**kwargs):
    """Globus Compute's ``Client``, for the Gantry service in this user's credentials."""
    import globus_sdk
    import globus_compute_sdk.sdk.client as sdk_client
    from globus_compute_sdk import Client

    url, token = credentials()
    # the SDK reads its service's address from its environment settings; Gantry's stands in for them
    sdk_client.get_web_service_url = lambda envname=None: url
    return Client(authorizer=globus_sdk.AccessTokenAuthorizer(token), **kwargs)


def executor(endpoint_id, client_=None, **kwargs):
    """Globus Compute's ``Executor`` for ``endpoint_id``, through ``client()`` unless given one."""
    from globus_compute_sdk import Executor

    return Executor(endpoint_id=endpoint_id, client=client_ or client(), **kwargs)
