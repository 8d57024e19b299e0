"""bench/train_subjects.py: how the trained subjects' thresholds are chosen."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "train_subjects.py"
SHIPPING = {"Shipping": ("ship",)}


def load_script():
    spec = importlib.util.spec_from_file_location("train_subjects", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def thresholds(train, vessel_ships: int) -> dict[str, float]:
    """The thresholds chosen on three weeks of stories: 20 "vessel port" ones, all shipping; 20 "vessel" ones, of which
    `vessel_ships` are shipping (the model scores them about vessel_ships / 20); 10 others."""
    rows, labels, folds = [], [], []
    for week in range(3):
        for n in range(50):
            rows.append({"vessel", "port"} if n < 20 else {"vessel"} if n < 40 else {"other"})
            labels.append(frozenset({"ship"} if n < 20 + vessel_ships else ()))
            folds.append(week)
    return train.choose_thresholds(rows, labels, SHIPPING, folds)


def test_a_threshold_is_not_raised_once_precision_reaches_the_target():
    train = load_script()
    # 32 of 40 at the lowest threshold: 80%, more only past the "vessel" stories' 0.6
    assert thresholds(train, 12)["Shipping"] == train.THRESHOLDS[0]


def test_no_threshold_is_chosen_past_half_a_chance():
    train = load_script()
    # 31 of 40 at the lowest threshold: the target only past the "vessel" stories' 0.55
    # would do, and such thresholds lost recall on held-out weeks
    assert "Shipping" not in thresholds(train, 11)
