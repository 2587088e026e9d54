"""One rule for e-mail addresses and names, used by forms, imports and commands alike."""
from __future__ import annotations

import pytest

from survey_app.validation import has_control_characters, is_email


@pytest.mark.parametrize("text", ["kari@example.no", "kari.nordmann+hr@alver.kommune.no", "o'brien@example.ie",
                                  "a_b-c@sub.domain.co.uk", "x@xn--bdo-xna.no"])
def test_one_address_is_an_address(text):
    assert is_email(text)


@pytest.mark.parametrize("text", ["kari@example.test,bob.no", "kari@example.no,bob@example.no",
                                  "kari@example.no;bob@example.no", "kari@example.no bob@example.no",
                                  "Kari <kari@example.no>", "kari@example.no\r\nBcc: x@y.no", "kari@example",
                                  "kari@@example.no", "@example.no", "kari@-example.no", "kari@example..no",
                                  ".kari@example.no", '"kari"@example.no', "kari@example.no.", "a" * 65 + "@example.no"])
def test_anything_else_is_not(text):
    assert not is_email(text)


@pytest.mark.parametrize("text, expected", [("Alver kommune", False), ("Åse Ødegård-Næss", False),
                                            ("Nguyễn Thị Minh Khai", False), ("محمد", False),
                                            ("Alver\r\nBcc: x@y.no", True), ("Alver\tkommune", True),
                                            ("Alver\u2028kommune", True), ("Alver\u202ekommune", True),
                                            ("Alver\x07", True)])
def test_names_refuse_control_characters(text, expected):
    assert has_control_characters(text) is expected
