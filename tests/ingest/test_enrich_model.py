"""The spaCy model is verified against the bundled checksum list before it is loaded."""

import shutil

import pytest

from broadsheet.enrich import ner


@pytest.fixture(scope="module")
def installed():
    return ner.choose_model()


def test_installed_model_matches_the_bundled_checksums(installed):
    assert installed.checksums == ner.DEFAULT_CHECKSUMS
    ner.verify_model(installed.folder, installed.checksums)


def test_tampered_model_file_is_refused(installed, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(installed.folder, copy)
    weights = copy / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[100] ^= 0xFF
    weights.write_bytes(bytes(data))
    (copy / "vocab" / "vectors.cfg").unlink()
    choice = ner.choose_model(copy, checksums=ner.DEFAULT_CHECKSUMS)
    with pytest.raises(
        ner.ModelError, match=r"refusing.*ner/model: checksum mismatch.*vectors\.cfg: missing"
    ):
        ner.load_nlp(choice)


def test_environment_variable_selects_another_model_without_the_default_check(
    installed, monkeypatch
):
    monkeypatch.setenv(ner.MODEL_ENV, str(installed.folder))
    choice = ner.choose_model()
    assert (choice.folder, choice.checksums) == (installed.folder, None)


def test_missing_model_names_the_setting(monkeypatch):
    monkeypatch.setenv(ner.MODEL_ENV, "no_such_model_xyz")
    with pytest.raises(ner.ModelError, match=ner.MODEL_ENV):
        ner.choose_model()
