"""The README is tested: every task has a section that names its options, every module and file
it names exists, and every console example prints what it shows.

Console examples (```console blocks) run in README order, as a reader following it on a fresh
clone would: in one temporary copy of the project's tracked files (the bundled samples in
scraped/, no generated content), each `$ ` line by bash, stdout and stderr together, not on a
terminal. The lines under a command are compared with what it printed as doctest compares
output with ELLIPSIS: `...` stands for any text, so that a timing, an absolute path or a long
listing can be left out. Other code blocks (```bash, ```text ...) are not run.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from invoke import Collection
from invoke.parser import ParserContext
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TOKENS = MarkdownIt("commonmark").enable("table").parse(README.read_text("utf-8"))
TASK_HEADING = re.compile(r"`invoke ([a-z][\w-]*)`")
# `invoke NAME` and its arguments, up to the end of the shell command or the code span
INVOKE = re.compile(r"(?<![\w-])invoke +([a-z][\w-]*)([^&|;#`\n]*)")
FLAG = re.compile(r"(?<![\w-])--(?:\[no-\])?[a-z][\w-]*")
MODULE = re.compile(r"(?<![\w.])broadsheet(?:\.[A-Za-z_]\w*)+")
# paths into the project's own source folders (generated ones, content/ and output/, are not);
# capitals are placeholders (`bench/NAME.py`): the path is checked up to them
PATH = re.compile(r"(?<![\w./-])(?:broadsheet|plugins|bench|theme|tests|scraped)/[a-z0-9_./-]*")
PYTHON_C = re.compile(r"""python -c (?:"([^"]*)"|'([^']*)')""")
COMMAND_TIMEOUT = 900  # seconds; a full build on a busy two-core machine stays well under it


@dataclass(frozen=True)
class Code:
    """A code span or a code block of the README, with the line it (or its paragraph) starts on."""

    line: int
    text: str
    info: str = ""  # a block's language (console, bash...); empty for a code span


@dataclass(frozen=True)
class Command:
    line: int
    command: str
    shown: str  # the output the README shows under the command


def code(tokens: list[Token]) -> Iterator[Code]:
    for token in tokens:
        if token.type == "fence":
            # a continued shell line (ending with a backslash) reads as one line
            yield Code(token.map[0] + 2, token.content.replace("\\\n", " "), token.info.strip())
        for child in token.children or ():
            if child.type == "code_inline":
                yield Code(token.map[0] + 1, child.content)


def sections(tokens: list[Token]) -> dict[str, list[Token]]:
    """{heading as written: the tokens under it, its level-4 subsections included}."""
    found: dict[str, list[Token]] = {}
    current: list[Token] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3"):
            current = found.setdefault(tokens[i + 1].content, [])
        else:
            current.append(token)
    return found


def task_sections(tokens: list[Token]) -> dict[str, list[Token]]:
    """{task name: the tokens of its `### \\`invoke NAME\\`` section}."""
    return {
        match[1]: section
        for heading, section in sections(tokens).items()
        if (match := TASK_HEADING.fullmatch(heading))
    }


def console_commands(block: Code) -> list[Command]:
    commands: list[Command] = []
    lines = block.text.splitlines()
    if lines and not lines[0].startswith("$ "):
        raise ValueError(f"README.md line {block.line}: a console example starts with `$ `")
    for n, line in enumerate(lines):
        if line.startswith("$ "):
            commands.append(Command(block.line + n, line[2:], ""))
        else:
            last = commands[-1]
            commands[-1] = Command(last.line, last.command, last.shown + line + "\n")
    return commands


CODE = list(code(TOKENS))
EXAMPLES = [console_commands(block) for block in CODE if block.info == "console"]


# --- tasks and their options


def load_tasks() -> Collection:
    spec = importlib.util.spec_from_file_location("readme_tasks", ROOT / "tasks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Collection.from_module(module)


@pytest.fixture(scope="module")
def task_options() -> dict[str, list[set[str]]]:
    """{task: its options as `invoke --help TASK` lists them, each as the spellings it takes}:
    `--[no-]browser` is written --browser or --no-browser."""
    tasks = load_tasks()
    return {
        name: [
            {flag.replace("[no-]", prefix) for prefix in ("", "no-")}
            for names, _ in ParserContext(name, args=tasks[name].get_arguments()).help_tuples()
            for flag in FLAG.findall(names)
        ]
        for name in tasks.task_names
    }


def test_every_task_has_a_readme_section_and_every_section_a_task(task_options):
    documented = set(task_sections(TOKENS))
    undocumented = sorted(set(task_options) - documented)
    assert not undocumented, f"no `### \\`invoke NAME\\`` README section for: {undocumented}"
    unknown = sorted(documented - set(task_options))
    assert not unknown, f"README sections for tasks that do not exist: {unknown}"


def test_every_option_of_a_task_is_named_in_its_section(task_options):
    sections = task_sections(TOKENS)
    unnamed = {}
    for name, options in task_options.items():
        named = {
            flag for block in code(sections.get(name, [])) for flag in FLAG.findall(block.text)
        }
        if missing := [sorted(spellings)[0] for spellings in options if not spellings & named]:
            unnamed[name] = missing
    assert not unnamed, "\n".join(
        f"`invoke {name}`: {', '.join(flags)} not named in its README section"
        for name, flags in unnamed.items()
    )


def test_every_invoke_command_in_the_readme_is_a_task_with_its_options(task_options):
    wrong = []
    for block in CODE:
        for name, args in INVOKE.findall(block.text):
            command = f"README.md line {block.line}: `invoke {name}{args.rstrip()}`"
            if name not in task_options:
                wrong.append(f"{command}: no such task")
                continue
            known = set().union(*task_options[name])
            if unknown := sorted(set(FLAG.findall(args)) - known):
                wrong.append(f"{command}: {', '.join(unknown)} not in `invoke --help {name}`")
    assert not wrong, "\n".join(wrong)


# --- modules, files and Python snippets named in the README


def resolves(dotted: str) -> bool:
    """Whether `dotted` is a module of the package, or a name in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(thing, attribute):
                return False
            thing = getattr(thing, attribute)
        return True
    return False


def test_every_module_the_readme_names_exists():
    missing = [
        f"README.md line {block.line}: `{name}`"
        for block in CODE
        for name in MODULE.findall(block.text)
        if not resolves(name)
    ]
    assert not missing, "no such module:\n" + "\n".join(missing)


def test_every_source_file_the_readme_names_exists():
    missing = [
        f"README.md line {block.line}: `{path}`"
        for block in CODE
        for path in PATH.findall(block.text)
        if not (ROOT / path).exists()
    ]
    assert not missing, "no such file:\n" + "\n".join(missing)


def python_snippets() -> Iterator[Code]:
    for block in CODE:
        if block.info == "python":
            yield block
        for double, single in PYTHON_C.findall(block.text):
            yield Code(block.line, double or single, "python")


def test_every_python_snippet_in_the_readme_parses_and_its_imports_resolve():
    snippets = list(python_snippets())
    assert snippets, "no Python snippet found: has the README's search example gone?"
    for snippet in snippets:
        tree = ast.parse(snippet.text, f"README.md line {snippet.line}")
        imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        exec(compile(ast.Module(imports, []), f"README.md line {snippet.line}", "exec"), {})


# --- the Layout section


def layout_entries() -> Iterator[tuple[int, str]]:
    """(README line, path) of each file and folder the Layout's tree names, in the tree's order.

    A line names one or more files or folders (separated by single spaces), then after two or
    more spaces says what they hold; a folder's contents are indented under it."""
    blocks = [block for block in code(sections(TOKENS).get("Layout", [])) if block.info]
    assert blocks, "the README has no `## Layout` section with the tree in a code block"
    block = blocks[0]
    folders: list[tuple[int, str]] = []  # (indent, path) of the folders above this line
    for n, line in enumerate(block.text.splitlines()):
        indent = len(line) - len(line.lstrip())
        names = re.split(r" {2,}", line.strip())[0].split(" ")
        folders = [(i, path) for i, path in folders if i < indent]
        parent = folders[-1][1] if folders else ""
        for name in names:
            yield block.line + n, parent + name
        if names[-1].endswith("/"):
            folders.append((indent, parent + names[-1]))


def test_the_layout_names_only_files_and_folders_that_exist():
    missing = [
        f"README.md line {n}: {path}" for n, path in layout_entries() if not (ROOT / path).exists()
    ]
    assert not missing, "the Layout names what does not exist:\n" + "\n".join(missing)


def test_the_layout_names_every_module_and_folder_of_the_package():
    named = {path for _, path in layout_entries()}
    package = ROOT / "broadsheet"
    parts = [
        path.relative_to(ROOT).as_posix() + ("/" if path.is_dir() else "")
        for path in package.rglob("*")
        if (path.is_dir() and path.name != "__pycache__" and path.parent == package)
        or (path.suffix == ".py" and path.name != "__init__.py")
    ]
    unnamed = sorted(set(parts) - named)
    assert not unnamed, "add these to the README's Layout:\n" + "\n".join(unnamed)


# --- console examples, run for real


def fresh_clone(destination: Path) -> Path:
    """A copy of the project's tracked files as they are in the work tree: what a clone holds."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # a tracked file deleted in the work tree is not copied
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def example_env(project: Path) -> dict[str, str]:
    """This Python's tools first on PATH, the copy's package importable, no settings of ours from
    the caller's environment, and Python's output unbuffered so that stdout and stderr interleave
    as on a terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADSHEET_")}
    path = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env | {"PATH": path, "PYTHONPATH": str(project), "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[Command, str]:
    """What each console command of the README printed, all run once, in README order."""
    project = fresh_clone(tmp_path_factory.mktemp("readme") / "project")
    env = example_env(project)
    return {
        command: subprocess.run(
            ["bash", "-c", command.command],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=COMMAND_TIMEOUT,
        ).stdout
        for commands in EXAMPLES
        for command in commands
    }


def shows(command: Command, output: str) -> bool:
    return doctest.OutputChecker().check_output(command.shown, output, doctest.ELLIPSIS)


def quoted(output: str) -> str:
    return textwrap.indent(output, "    ") if output else "    (nothing)\n"


def difference(command: Command, output: str) -> str:
    return (
        f"README.md line {command.line}: `$ {command.command}` printed\n{quoted(output)}"
        f"where the README shows\n{quoted(command.shown)}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("commands", EXAMPLES, ids=[f"line {c[0].line}" for c in EXAMPLES])
def test_console_example_prints_what_the_readme_shows(printed, commands):
    if wrong := [difference(c, printed[c]) for c in commands if not shows(c, printed[c])]:
        pytest.fail("\n".join(wrong), pytrace=False)
