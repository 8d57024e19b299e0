"""bench/train_subjects.py: how the trained subjects' thresholds are chosen."""

import importlib.util
from pathlib import Path

from broadsheet.enrich import subjects

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "train_subjects.py"


def load_script():
    spec = importlib.util.spec_from_file_location("train_subjects", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_threshold_is_chosen_on_the_stories_that_hold_one_of_the_subjects_cues():
    train = load_script()
    cue = f"{subjects.HAS_CUE}Shipping"  # no weight: the model cannot tell the stories apart
    rows, labels, folds = [], [], []
    for week in range(3):
        for n in range(40):
            # a cued story is a shipping story, an uncued one with the same word is one half the
            # time (and ingest never files it): the model gives both about 0.75
            kind = n % 4
            rows.append({"vessel", cue} if kind == 0 else {"vessel"} if kind == 1 else {"other"})
            labels.append(frozenset({"ship"} if kind == 0 or (kind == 1 and n % 8 == 1) else ()))
            folds.append(week)
    thresholds = train.choose_thresholds(rows, labels, {"Shipping": ("ship",)}, folds)
    # counting the uncued stories, precision would be 0.75 at any threshold: no threshold
    assert thresholds["Shipping"] == train.THRESHOLDS[0]
