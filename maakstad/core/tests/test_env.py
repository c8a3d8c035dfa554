import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_json, env_json_list


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


def test_env_json_list_reads_a_list_of_objects(monkeypatch) -> None:
    assert env_json_list("MAAKSTAD_TEST_JSON") == []
    monkeypatch.setenv("MAAKSTAD_TEST_JSON", '[{"slug": "entree"}]')
    assert env_json_list("MAAKSTAD_TEST_JSON") == [{"slug": "entree"}]
    monkeypatch.setenv("MAAKSTAD_TEST_JSON", '{"slug": "entree"}')
    with pytest.raises(ImproperlyConfigured, match="JSON-lijst"):
        env_json_list("MAAKSTAD_TEST_JSON")
