"""The one-line package: it finds the credentials Gantry wrote, and says what to do when there are none."""
import json
import os

import pytest

import gantry_compute


def test_credentials_come_from_gantry_home(tmp_path, monkeypatch):
    (tmp_path / "credentials.json").write_text(json.dumps({"service_url": "http://h:1/", "token": "t"}))
    monkeypatch.setenv("GANTRY_HOME", str(tmp_path))
    assert gantry_compute.credentials() == ("http://h:1", "t")


def test_missing_credentials_say_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("GANTRY_HOME", str(tmp_path))
    with pytest.raises(RuntimeError, match="gantry service start"):
        gantry_compute.credentials()


def test_a_self_signed_services_certificate_is_trusted_besides_the_systems(tmp_path, monkeypatch):
    ca = tmp_path / "cert.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\nSERVICE\n-----END CERTIFICATE-----\n")
    (tmp_path / "credentials.json").write_text(
        json.dumps({"service_url": "https://127.0.0.1:1", "token": "t", "ca_file": str(ca)}))
    monkeypatch.setenv("GANTRY_HOME", str(tmp_path))
    monkeypatch.delenv("GLOBUS_SDK_VERIFY_SSL", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", "/mine.pem")
    bundle = gantry_compute.trust()
    text = bundle.read_text()
    assert "SERVICE" in text
    assert text.count("BEGIN CERTIFICATE") > 1, "the system's certificates stay trusted"
    assert os.environ["GLOBUS_SDK_VERIFY_SSL"] == str(bundle)
    assert os.environ["SSL_CERT_FILE"] == "/mine.pem", "a setting of the user's own is kept"


def test_without_a_ca_file_nothing_changes(tmp_path, monkeypatch):
    (tmp_path / "credentials.json").write_text(json.dumps({"service_url": "http://h:1", "token": "t"}))
    monkeypatch.setenv("GANTRY_HOME", str(tmp_path))
    monkeypatch.delenv("GLOBUS_SDK_VERIFY_SSL", raising=False)
    assert gantry_compute.trust() is None
    assert "GLOBUS_SDK_VERIFY_SSL" not in os.environ
