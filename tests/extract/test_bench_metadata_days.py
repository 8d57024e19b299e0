"""bench/metadata.py: which read days count as the page's publication day."""

import importlib.util
import sys
from datetime import UTC, date, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_script():
    sys.path.insert(0, str(BENCH))  # the script imports its sibling train_line_model
    try:
        spec = importlib.util.spec_from_file_location("bench_metadata", BENCH / "metadata.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def utc_truth(bench, moment: str):
    value = datetime.fromisoformat(moment)
    return bench.Truth(
        "p", "train2", "example.com", "en", day=value.date(), moment=value, utc_day=True
    )


def test_a_utc_truth_at_local_midnight_counts_the_day_the_page_printed():
    bench = load_script()
    # 16:00Z is midnight in UTC+8: the page printed the next day
    truth = utc_truth(bench, "2022-12-14T16:00:00+00:00")
    assert bench.day_exact(truth, date(2022, 12, 15))
    assert bench.day_exact(truth, date(2022, 12, 14))
    assert not bench.day_exact(truth, date(2022, 12, 16))


def test_a_utc_truth_off_the_hour_is_no_midnight():
    bench = load_script()
    truth = utc_truth(bench, "2022-12-14T16:30:00+00:00")
    assert not bench.day_exact(truth, date(2022, 12, 15))


def test_an_aware_read_is_compared_by_its_own_day_and_its_utc_day_only():
    bench = load_script()
    truth = utc_truth(bench, "2022-12-14T16:00:00+00:00")
    assert not bench.day_exact(truth, datetime(2022, 12, 15, 9, 0, tzinfo=UTC))


def test_the_printed_day_is_found_in_its_common_forms_and_split_over_lines():
    bench = load_script()
    day = date(2018, 12, 21)
    for text in (
        "Posted on December 21, 2018 by Trey",
        "Fri, 21st Dec. 2018",
        "Dec\n21 st, 2018",
        "2018-12-21T09:00:00",
        "12/21/18 the future of work",
        "21.12.2018",
    ):
        assert bench.prints_day(text, day), text
    for text in ("December 1, 2018", "121/12/2018", "December 21, 2019", "12/21/2017"):
        assert not bench.prints_day(text, day), text
