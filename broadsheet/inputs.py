"""Find the scraped files under a folder and turn each into a decoded InputFile.

The kind of a file comes from its name (`.txt`, `.html`/`.htm`, `.json`/`.jsonl`, each
optionally `.gz`); its encoding is detected from the bytes, never trusted from the name.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import json
import os
import re
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from charset_normalizer import from_bytes

from broadsheet.files import read_json_object, write_if_changed
from broadsheet.records import Failure, InputFile, InputKind

KINDS: dict[str, InputKind] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "records",
    ".jsonl": "records",
}
MAX_INPUT_BYTES = 64 * 1024 * 1024  # larger (decompressed) inputs are refused, not read
# ... except a JSON Lines file (.jsonl, .ndjson, not gzipped): it is read in parts of about
# PART_BYTES, a line at a time, so that any size fits in bounded memory; then only a single
# record (line) over MAX_INPUT_BYTES is refused
PART_BYTES = 8 * 1024 * 1024  # BROADSHEET_PART_BYTES sets another size
STREAMED_SUFFIXES = (".jsonl", ".ndjson")


class InputError(ValueError):
    """An input file that cannot be read as text; the message says why."""


@dataclass(frozen=True)
class Part:
    """A slice of lines of a large JSON Lines file, read on its own (see plan_parts)."""

    name: str  # the input's name (input_name)
    path: Path
    sha256: str  # of the whole file
    number: int  # 0, 1, ... in file order
    count: int  # how many parts the file has
    start: int  # byte offset of its first line
    end: int  # byte offset after its last line
    first_line: int  # the number of its first line in the file, from 0
    data: bytes | None = None  # its bytes, when they travel to a cluster


def part_bytes() -> int:
    return int(os.environ.get("BROADSHEET_PART_BYTES", PART_BYTES))


def is_streamed(path: Path) -> bool:
    """Whether `path` is a JSON Lines file large enough to be read in parts."""
    name = path.name.lower()
    return name.endswith(STREAMED_SUFFIXES) and path.stat().st_size > part_bytes()


def plan_parts(path: Path, name: str, sha256: str, size: int | None = None) -> list[Part]:
    """Cut a JSON Lines file into parts of about `size` bytes (part_bytes()), each ending
    after a newline."""
    size = size or part_bytes()
    cuts = [(0, 0)]  # (byte offset, line number) where each part starts
    lines = 0
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            start = offset
            offset += len(block)
            while True:
                boundary = cuts[-1][0] + size
                if boundary >= offset:
                    break
                newline = block.find(b"\n", max(0, boundary - start))
                if newline < 0:  # the line goes on past this block
                    break
                cuts.append((start + newline + 1, lines + block.count(b"\n", 0, newline + 1)))
            lines += block.count(b"\n")
    if cuts[-1][0] >= offset and len(cuts) > 1:
        cuts.pop()
    ends = [start for start, _ in cuts[1:]] + [offset]
    return [
        Part(name, path, sha256, number, len(cuts), start, end, first_line)
        for number, ((start, first_line), end) in enumerate(zip(cuts, ends, strict=True))
    ]


def read_part(part: Part) -> tuple[bytes, list[tuple[int, int]]]:
    """The part's bytes, a line at a time; lines over MAX_INPUT_BYTES are left out (blank)
    and returned as (line number, size) to be reported."""
    if part.data is not None:
        return part.data, []
    kept: list[bytes] = []
    refused: list[tuple[int, int]] = []
    with part.path.open("rb") as handle:
        handle.seek(part.start)
        line_number = part.first_line
        while handle.tell() < part.end:
            line = handle.readline(MAX_INPUT_BYTES + 1)
            if len(line) > MAX_INPUT_BYTES and not line.endswith(b"\n"):
                size = len(line)
                while (rest := handle.readline(1 << 24)) and not rest.endswith(b"\n"):
                    size += len(rest)
                refused.append((line_number, size + len(rest)))
                line = b"\n"
            kept.append(line)
            line_number += 1
    return b"".join(kept), refused


def kind_of(path: PurePosixPath | Path) -> InputKind | None:
    """The input kind for a file name, or None for files ingest does not read."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return KINDS.get(suffixes[-1]) if suffixes else None


def find_inputs(src: Path) -> list[Path]:
    """Every supported file under `src`, recursively, in a stable order (see scan_inputs)."""
    return scan_inputs(src)[0]


def scan_inputs(src: Path, root: Path | None = None) -> tuple[list[Path], list[Failure]]:
    """Every supported file under `src`, recursively, in a stable order, and what was skipped.

    Hidden files and folders are skipped, and so are links that lead outside `src`, links to
    folders (never followed) and folders that cannot be read: each is listed with the reason,
    named as input_name names inputs (relative to `root`, by default label_root(src)).
    """
    top = src.resolve()
    label = top.relative_to((root or label_root(src)).resolve())
    found: list[Path] = []
    skipped: list[Failure] = []

    def name(path: Path) -> str:
        return (label / path.relative_to(src)).as_posix()

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else src
        skipped.append(Failure(name(where), f"folder cannot be read ({error.strerror})"))

    for folder, dirs, files in os.walk(src, onerror=unreadable):
        here = Path(folder)
        for entry in sorted(dirs):
            path = here / entry
            if entry.startswith("."):
                skipped.append(Failure(name(path), "hidden folder, not read"))
                dirs.remove(entry)
            elif path.is_symlink():
                skipped.append(Failure(name(path), "link to a folder, not followed"))
        dirs.sort()
        for entry in sorted(files):
            path = here / entry
            if kind_of(path) is None:
                continue
            if entry.startswith("."):
                skipped.append(Failure(name(path), "hidden file, not read"))
            elif not path.resolve().is_relative_to(top):
                skipped.append(Failure(name(path), "link leading outside the source folder"))
            elif not path.is_file():
                skipped.append(Failure(name(path), "not a regular file (a broken link?)"))
            else:
                found.append(path)
    found.sort(key=lambda p: p.relative_to(src).as_posix())
    return found, sorted(skipped, key=lambda failure: failure.path)


def label_root(src: Path) -> Path:
    """The folder input names are relative to: the working directory when the source folder
    is inside it (`scraped/a.txt`), else the source folder's parent. No absolute local path
    ever reaches an article."""
    resolved = src.resolve()
    cwd = Path.cwd().resolve()
    return cwd if resolved.is_relative_to(cwd) else resolved.parent


def input_name(path: Path, root: Path) -> str:
    """An input's name in articles, manifest and report: its POSIX path relative to `root`."""
    return path.resolve().relative_to(root).as_posix()


def text_dumps(paths: Iterable[Path], root: Path) -> Iterator[InputFile]:
    """The readable page text dumps among `paths`; the others are reported when extracted."""
    return readable_inputs(paths, root, "text")


def readable_inputs(paths: Iterable[Path], root: Path, kind: InputKind) -> Iterator[InputFile]:
    """The readable inputs of one kind among `paths` (for learning across the corpus)."""
    for path in paths:
        if kind_of(path) == kind:
            try:
                yield load_input(path, root)
            except (InputError, OSError):
                continue


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class InputStamps:
    """Each input's sha256 with the size and modification time it had, kept in the cache: an
    input of the same size and time is not read again to be hashed (as rsync judges files).
    A time less than SETTLE_NS old is not trusted (the file may still change within its
    clock tick); a missing or damaged stamps file only means that every input is hashed."""

    SETTLE_NS = 2 * 10**9

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known = read_json_object(path)
        self.now: dict[str, list] = {}

    def sha256(self, path: Path, name: str) -> str:
        """The input's sha256: from its stamp when its size and time are the stamp's."""
        found = path.stat()
        stamp = [found.st_size, found.st_mtime_ns]
        known = self.known.get(name)
        sha = known[2] if isinstance(known, list) and known[:2] == stamp else file_sha256(path)
        if found.st_mtime_ns < time.time_ns() - self.SETTLE_NS:
            self.now[name] = [*stamp, sha]
        return sha

    def save(self) -> None:
        write_if_changed(self.path, json.dumps(self.now, sort_keys=True) + "\n")


def load_input(path: Path, root: Path) -> InputFile:
    """Read, decompress and decode one scraped file. Raises InputError with the reason."""
    if kind_of(path) is None:
        raise InputError(f"unsupported file type {''.join(path.suffixes) or '(none)'}")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"file is {size / 2**20:.0f} MiB; the limit is {MAX_INPUT_BYTES >> 20} MiB"
        )
    name = path.resolve().relative_to(root.resolve()).as_posix()
    return input_from_bytes(name, path.read_bytes())


def input_from_bytes(name: str, raw: bytes) -> InputFile:
    """Decompress and decode the bytes of the scraped file called `name` (a POSIX path)."""
    kind = kind_of(PurePosixPath(name))
    if kind is None:
        raise InputError(f"unsupported file type {''.join(PurePosixPath(name).suffixes)}")
    data = _gunzip(raw) if name.lower().endswith(".gz") else raw
    text, encoding = decode(data)
    return InputFile(
        path=name,
        kind=kind,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
    )


def _gunzip(raw: bytes) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(raw, MAX_INPUT_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as error:
        raise InputError(f"not a valid gzip file ({error})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"decompresses to more than {MAX_INPUT_BYTES >> 20} MiB")
    if not decompressor.eof:
        raise InputError("not a valid gzip file (truncated)")
    return data


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, returning the text and the encoding used.

    A BOM decides; then strict UTF-8 (by far the most common); then charset-normalizer's
    detection (cp1252, EUC-KR, Shift_JIS, UTF-16 without BOM, ...). Binary data is refused.
    """
    if not data.strip():
        raise InputError("file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        text, stray = _mostly_utf8(data)
        if text is not None:
            return text, f"utf-8, {stray} stray byte{'s' if stray > 1 else ''} read as cp1252"
    best = from_bytes(data).best()
    if best is not None:
        text, encoding = str(best), best.encoding
    elif b"\x00" not in data:
        text, encoding = _decode_lines(data), "mixed utf-8/cp1252"
    else:
        raise InputError("binary data, not text (no text encoding fits the bytes)")
    if _SINGLE_BYTE_LATIN.match(encoding):
        # Short Latin texts leave detectors guessing between near-identical code pages;
        # windows-1252 is what the web means by "latin-1" (WHATWG), so it wins when it fits.
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("cp1252"), "cp1252"
    if _looks_binary(text):
        raise InputError("binary data, not text (control characters throughout)")
    return text, encoding


_SINGLE_BYTE_LATIN = re.compile(r"^(cp125[0-8]|latin_?\d*|iso8859_\d+|mac_\w+)$")


_STRAY = threading.local()  # the number of stray bytes _as_cp1252 replaced, per thread


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    _STRAY.count += len(bad)
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("broadsheet-stray-cp1252", _as_cp1252)


def _mostly_utf8(data: bytes) -> tuple[str | None, int]:
    """UTF-8 with a few bytes that are not (a pasted cp1252 quote, a cut character): the text,
    each stray byte read as cp1252 (U+FFFD where cp1252 has no character), and their number.
    (None, 0) when the bytes hold fewer valid UTF-8 characters than stray bytes: then the
    whole file is another encoding, to be guessed."""
    _STRAY.count = 0
    text = data.decode("utf-8", errors="broadsheet-stray-cp1252")
    stray = _STRAY.count
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - stray  # characters that were UTF-8
    return (text, stray) if wide >= stray else (None, 0)


def _decode_lines(data: bytes) -> str:
    """Mixed encodings (a UTF-8 page with pasted cp1252 lines): decode each line on its own."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
    return "\n".join(lines)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    return controls > len(sample) * 0.01
