"""A PDF row whose unnumbered label a page break cut in two is joined when together the parts
are one of the form's labels, typed as units type it: the reader's tolerance of label variants
(half-width brackets, spaces, the known retypings) applies here too, shared, not copied."""

from __future__ import annotations

from nianbao.recognise import labels as recognise_labels
from nianbao.sources.pdf import _split_row


def test_a_caption_with_half_width_brackets_cut_by_the_page_is_joined() -> None:
    # 「第二十条第(五)」 + 「项」: the caption typed with half-width brackets; before, only
    # 「第二十条第（五）项」 exactly was joined and the caption was lost (表二 refused, L01)
    assert _split_row(["第二十条第(五)"], ["项"]) == ["第二十条第(五)项"]


def test_a_total_row_label_with_half_width_brackets_is_joined_with_its_figures() -> None:
    assert _split_row(["(七)总", None, None], ["计", "3", "4"]) == ["(七)总计", "3", "4"]


def test_variants_of_two_labels_stay_two_rows() -> None:
    assert _split_row(["行政处罚", "1"], ["行政强制"]) is None
    assert _split_row(["(七)总计", "1"], ["四、结转下年度继续办理"]) is None
    assert _split_row(["第二十条第(五)"], ["项目"]) is None


def test_the_reader_and_the_pdf_source_share_one_label_tolerance() -> None:
    from nianbao.form import labels as form_labels  # below sources/: the PDF reader may use it

    assert recognise_labels.canonical is form_labels.canonical
    assert recognise_labels.accepted is form_labels.accepted
