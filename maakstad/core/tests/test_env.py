import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_json


def test_env_json_reads_an_object_and_refuses_anything_else(monkeypatch) -> None:
    assert env_json("MAAKSTAD_TEST_JSON", {"a": 1}) == {"a": 1}
    monkeypatch.setenv("MAAKSTAD_TEST_JSON", '{"bucket_name": "maakstad"}')
    assert env_json("MAAKSTAD_TEST_JSON", {}) == {"bucket_name": "maakstad"}
    monkeypatch.setenv("MAAKSTAD_TEST_JSON", "{bucket")
    with pytest.raises(ImproperlyConfigured, match="geen geldige JSON"):
        env_json("MAAKSTAD_TEST_JSON", {})
    monkeypatch.setenv("MAAKSTAD_TEST_JSON", '["a"]')
    with pytest.raises(ImproperlyConfigured, match="JSON-object"):
        env_json("MAAKSTAD_TEST_JSON", {})
