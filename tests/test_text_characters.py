"""Character classes and width folding of the text kernel (shuzheng.text.characters)."""

import pytest

from shuzheng.documents.parsing.lines import squeeze
from shuzheng.search.segmentation import is_single_cjk
from shuzheng.text.characters import fold_width


def test_fold_width_keeps_length_and_folds_ascii_variants():
    text = "ＡＢＣ１２３（一）：，\u3000数字"
    folded = fold_width(text)
    assert folded == "ABC123(一):, 数字"
    assert len(folded) == len(text)


def test_fold_width_leaves_chinese_punctuation_without_ascii_equivalent():
    assert fold_width("〔2023〕、。《》") == "〔2023〕、。《》"


#: A character of CJK Extension B (U+20BB7) and a compatibility ideograph (U+FA11), as found
#: in personal and place names.
RARE_IDEOGRAPHS = ["\U00020bb7", "\ufa11"]


@pytest.mark.parametrize("char", RARE_IDEOGRAPHS)
def test_the_search_tokenizer_knows_every_ideograph_of_the_one_range(char):
    assert is_single_cjk(char)


@pytest.mark.parametrize("char", RARE_IDEOGRAPHS)
def test_the_parser_squeezes_spaces_next_to_every_ideograph_of_the_one_range(char):
    assert squeeze(f"张{char} 同志") == f"张{char}同志"
    assert squeeze(f"x {char}") == f"x{char}"
