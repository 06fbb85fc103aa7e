from skillmatch.train.corpus import conll_sentences


def test_conll_sentences(tmp_path):
    path = tmp_path / "x.conll"
    path.write_text("Strong\tO\tO\nPython\tB-Skill\tO\nskills\tO\tO\n\nSQL\tO\tB-Knowledge\n", encoding="utf-8")
    assert list(conll_sentences(path)) == ["Strong Python skills", "SQL"]
