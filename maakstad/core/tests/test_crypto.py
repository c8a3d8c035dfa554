import pytest
from cryptography.fernet import InvalidToken

from maakstad.core import crypto


def test_round_trip_without_the_plaintext_in_the_token() -> None:
    token = crypto.encrypt("JBSWY3DPEHPK3PXP", purpose="test")
    assert "JBSWY3DPEHPK3PXP" not in token
    assert crypto.decrypt(token, purpose="test") == "JBSWY3DPEHPK3PXP"
    assert not crypto.needs_rotation(token, purpose="test")
    # Each purpose has its own key.
    with pytest.raises(InvalidToken):
        crypto.decrypt(token, purpose="other")


def test_secret_key_rotation_keeps_old_values_readable_through_fallbacks(settings) -> None:
    settings.SECRET_KEY = "oude-sleutel-" + "x" * 40
    token = crypto.encrypt("geheim", purpose="test")
    settings.SECRET_KEY = "nieuwe-sleutel-" + "y" * 40
    with pytest.raises(InvalidToken):
        crypto.decrypt(token, purpose="test")
    settings.SECRET_KEY_FALLBACKS = ["oude-sleutel-" + "x" * 40]
    assert crypto.decrypt(token, purpose="test") == "geheim"
    assert crypto.needs_rotation(token, purpose="test")
