"""The one-line package: it finds the credentials Gantry wrote, and says what to do when there are none."""
import json

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
