"""Documents in: formats, decoding, mojibake repair with offsets kept, and bad files."""
from __future__ import annotations

import io
import zipfile

import pytest

from conftest import make_pdf
from skillmatch.errors import DocumentError
from skillmatch.extract.sentences import RuleSentenceSplitter, SpacySentenceSplitter
from skillmatch.extract.text import decode_bytes, make_document, raw_text, read_document


def test_mojibake_is_repaired_and_offsets_point_into_the_original():
    original = "Skills:\nâ€¢ Pythonâ€™s data stack and SQL\nplain line with Python\n"
    document = make_document(original)
    assert "• Python’s data stack and SQL" in document.text or "• Python's data stack and SQL" in document.text
    start = document.text.index("SQL")
    span = document.original_span(start, start + 3)
    assert original[span[0]:span[1]] == "SQL"
    start = document.text.index("Python")
    span = document.original_span(start, start + 6)
    assert original[span[0]:span[1]] == "Python"
    last = document.text.rindex("Python")
    span = document.original_span(last, last + 6)
    assert original[span[0]:span[1]] == "Python"


def test_windows_1252_bytes_are_decoded():
    assert decode_bytes("café résumé".encode("cp1252"), "x.txt") == "café résumé"


@pytest.mark.parametrize("data", [bytes(range(256)) * 40, b"\x00\x01\x02binary\x00" * 100])
def test_binary_garbage_is_refused(data):
    with pytest.raises(DocumentError, match="binary data"):
        raw_text(data, "blob.txt", ".txt")


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "jd.pdf"
    path.write_bytes(make_pdf(["Data Scientist", "Experience with Python and SQL."]))
    document = read_document(path)
    assert "Python and SQL" in document.text


def test_corrupt_and_encrypted_pdf(tmp_path):
    with pytest.raises(DocumentError, match="corrupt or unreadable PDF|no text layer"):
        raw_text(b"%PDF-1.4\n garbage that is not a pdf", "bad.pdf", ".pdf")
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentError, match="encrypted PDF"):
        raw_text(buffer.getvalue(), "locked.pdf", ".pdf")


def test_docx_and_fake_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Requirements")
    document.add_paragraph("Strong statistics and machine learning background.")
    path = tmp_path / "jd.docx"
    document.save(path)
    assert "machine learning background" in read_document(path).text
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(DocumentError, match="not a DOCX document"):
        raw_text(fake.getvalue(), "fake.docx", ".docx")


def test_huge_text_is_bounded_with_a_warning():
    document = make_document("Python developer. " * 300_000, max_chars=50_000)
    assert len(document.text) == 50_000
    assert any("only the first 50,000" in w for w in document.warnings)


def test_rule_splitter_handles_bullets_headings_and_abbreviations():
    text = ("# Data Scientist\nRequirements:\n- 5+ years with Python. Strong statistics, e.g. regression.\n"
            "* AWS • Docker • Kubernetes\n1) Lead a team of 4 engineers!")
    sentences = RuleSentenceSplitter().split(text)
    assert [s.text for s in sentences] == ["Data Scientist", "Requirements", "5+ years with Python.",
                                           "Strong statistics, e.g. regression.", "AWS", "Docker", "Kubernetes",
                                           "Lead a team of 4 engineers!"]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_long_runs_are_windowed():
    text = " ".join(f"word{i}" for i in range(130))
    sentences = RuleSentenceSplitter(max_words=48).split(text)
    assert [len(s.text.split()) for s in sentences] == [48, 48, 34]


def test_spacy_splitter_agrees_on_prose():
    text = "We build data products. You will own the pipeline end to end."
    assert [s.text for s in SpacySentenceSplitter().split(text)] == [
        "We build data products.", "You will own the pipeline end to end."]
