"""Globus Compute's own SDK, pointed at a Gantry service in one line.

    import gantry_compute
    with gantry_compute.executor("<endpoint id>") as ex:
        print(ex.submit(hello_name, "World").result())

``client()`` and ``executor(endpoint)`` return the SDK's ``Client`` and ``Executor`` (``globus-compute-sdk``
must be installed), talking to the service and with the token in Gantry's credentials: ``$GANTRY_HOME``, else
``~/.gantry``, ``credentials.json``, which ``gantry service start`` writes. A service with its own
self-signed certificate names it there (``ca_file``); ``client()`` then trusts it, besides the system's.
"""
import json
import os
import pathlib
import ssl

__all__ = ["client", "executor", "credentials", "trust"]


def _home():
    return pathlib.Path(os.environ.get("GANTRY_HOME") or pathlib.Path.home() / ".gantry")


def _read():
    path = _home() / "credentials.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise RuntimeError(f"no Gantry credentials at {path}: start a service (gantry service start), "
                           "or set GANTRY_HOME to the directory that holds them") from None


def credentials():
    """The service URL and token of this user's Gantry credentials, as a (url, token) pair."""
    data = _read()
    return data["service_url"].rstrip("/"), data["token"]


def trust():
    """Makes this process trust the certificate the credentials name (``ca_file``) as well as the system's.

    The SDK's HTTPS calls read ``GLOBUS_SDK_VERIFY_SSL``, and the Executor's AMQP over TLS (pika) reads
    ``SSL_CERT_FILE``; each one not set already is pointed at a bundle of the system's certificates and the
    service's, ``trusted-ca.pem`` beside the credentials. Returns that bundle, or None without a ``ca_file``.
    """
    ca = _read().get("ca_file")
    if not ca:
        return None
    paths = ssl.get_default_verify_paths()
    system = paths.cafile or paths.openssl_cafile
    parts = [pathlib.Path(system).read_text()] if system and os.path.isfile(system) else []
    parts.append(pathlib.Path(ca).read_text())
    bundle = _home() / "trusted-ca.pem"
    tmp = bundle.with_name(bundle.name + ".tmp")
    tmp.write_text("\n".join(parts))
    os.replace(tmp, bundle)
    for variable in ("GLOBUS_SDK_VERIFY_SSL", "SSL_CERT_FILE"):
        os.environ.setdefault(variable, str(bundle))
    return bundle


def client(**kwargs):
    """Globus Compute's ``Client``, for the Gantry service in this user's credentials."""
    import globus_sdk
    import globus_compute_sdk.sdk.client as sdk_client
    from globus_compute_sdk import Client

    url, token = credentials()
    trust()
    # the SDK reads its service's address from its environment settings; Gantry's stands in for them
    sdk_client.get_web_service_url = lambda envname=None: url
    return Client(authorizer=globus_sdk.AccessTokenAuthorizer(token), **kwargs)


def executor(endpoint_id, client_=None, **kwargs):
    """Globus Compute's ``Executor`` for ``endpoint_id``, through ``client()`` unless given one."""
    from globus_compute_sdk import Executor

    return Executor(endpoint_id=endpoint_id, client=client_ or client(), **kwargs)
