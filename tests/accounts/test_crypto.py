import pytest

from shuzheng.accounts.crypto import digests_match, sm3_hex


def test_sm3_standard_vector_abc():
    """GB/T 32905-2016, appendix A.1."""
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_standard_vector_512_bits():
    """GB/T 32905-2016, appendix A.2: "abcd" repeated 16 times."""
    assert (
        sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_sm3_refuses_text():
    with pytest.raises(TypeError):
        sm3_hex("abc")


def test_digests_match():
    assert digests_match(sm3_hex(b"a"), sm3_hex(b"a"))
    assert not digests_match(sm3_hex(b"a"), sm3_hex(b"b"))
