"""Character classes and width folding of the text kernel (shuzheng.text.characters)."""

from shuzheng.text.characters import fold_width


def test_fold_width_keeps_length_and_folds_ascii_variants():
    text = "ＡＢＣ１２３（一）：，\u3000数字"
    folded = fold_width(text)
    assert folded == "ABC123(一):, 数字"
    assert len(folded) == len(text)


def test_fold_width_leaves_chinese_punctuation_without_ascii_equivalent():
    assert fold_width("〔2023〕、。《》") == "〔2023〕、。《》"
