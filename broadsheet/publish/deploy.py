"""Publish a built site, only after the checks pass.

Targets: a local folder (the live path is a symlink to a complete release, replaced in one
rename), rsync (only changed files; deletions after the upload), and a git branch for GitHub
Pages written by ghp-import (with .nojekyll, and CNAME when set). Each publisher returns the
`Changes` it made, or would make with `dry_run`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from broadsheet.publish.checks import LOCAL_HOSTS, SECRETS_SCAN_CACHE, Problem, check_site
from broadsheet.publish.settings import DeploySettings, Target

COMMITTER = {"GIT_COMMITTER_NAME": "Broadsheet deploy", "GIT_COMMITTER_EMAIL": "deploy@localhost"}


class DeployError(Exception):
    """The deploy did not happen; nothing live was changed."""


class ChecksFailed(DeployError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"not published: {len(problems)} problem(s) in the site\n{lines}")


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def report(self, limit: int = 50) -> str:
        """A summary line, then up to `limit` paths of each kind."""
        lines = [
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"
        ]
        for mark, paths in (("+", self.added), ("~", self.changed), ("-", self.removed)):
            lines += [f"  {mark} {path}" for path in paths[:limit]]
            if len(paths) > limit:
                lines.append(f"  {mark} ... and {len(paths) - limit} more")
        return "\n".join(lines)


def diff(new: Mapping[str, str], old: Mapping[str, str]) -> Changes:
    """What turns a tree with digests `old` into one with digests `new`."""
    return Changes(
        added=tuple(sorted(new.keys() - old.keys())),
        changed=tuple(sorted(p for p in new.keys() & old.keys() if new[p] != old[p])),
        removed=tuple(sorted(old.keys() - new.keys())),
    )


def manifest(root: Path) -> dict[str, str]:
    """{path relative to root: sha256} of every file below root (empty if root is missing)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def run(args: list[str], *, secrets: Iterable[str] = (), **kwargs) -> str:
    """Run a command; its stdout, or a DeployError quoting its (redacted) error output."""
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        message = redact(
            f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}", secrets
        )
        raise DeployError(message)
    return result.stdout


# --- a local directory: releases side by side, the live path a symlink swapped in one rename


def releases_folder(live: Path) -> Path:
    return live.with_name(f".{live.name}.releases")


def publish_directory(output: Path, live: Path, *, keep: int = 3, dry_run: bool = False) -> Changes:
    """Make `live` show a copy of `output`; a reader sees the old site or the new, never a mix.

    The copy is written into a release folder beside `live`; then a symlink to it replaces
    `live` with one rename. An interrupted deploy leaves only a `.partial-*` folder, removed by
    the next one. The newest `keep` releases stay on disk for rolling back by hand.
    """
    current = live.resolve() if live.exists() else None
    old = manifest(current) if current else {}
    new = manifest(output)
    changes = diff(new, old)
    if dry_run:
        return changes
    releases = releases_folder(live)
    releases.mkdir(parents=True, exist_ok=True)
    for leftover in releases.glob(".partial-*"):
        shutil.rmtree(leftover)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    release = releases / stamp
    partial = releases / f".partial-{stamp}"
    for path, digest in new.items():
        destination = partial / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        if current and old.get(path) == digest:
            os.link(current / path, destination)  # unchanged: share the previous release's file
        else:
            shutil.copy2(output / path, destination)
    os.sync()  # the release is on disk before anything points to it
    partial.rename(release)
    if live.exists() and not live.is_symlink():
        # first deploy over a plain folder: keep it as the oldest release
        live.rename(releases / f"0-before-{stamp}")  # sorts before every dated release
    swap = live.with_name(f".{live.name}.swap")
    swap.unlink(missing_ok=True)
    swap.symlink_to(release.relative_to(live.parent))
    swap.replace(live)
    for stale in sorted(p for p in releases.iterdir() if not p.name.startswith("."))[
        : -max(keep, 1)
    ]:
        shutil.rmtree(stale)
    return changes


# --- rsync: only changed files (by checksum), deletions after the upload


def parse_itemized(lines: Iterable[str]) -> Changes:
    """Changes from rsync's --itemize-changes output (files only, not folders)."""
    added, changed, removed = [], [], []
    for line in lines:
        flags, _, path = line.partition(" ")
        path = path.strip()
        if flags == "*deleting":
            if not path.endswith("/"):
                removed.append(path)
        elif flags[:1] in "<>c" and flags[1:2] == "f":
            (added if flags[2:].startswith("+++") else changed).append(path)
    return Changes(tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)))


def publish_rsync(
    output: Path, destination: str, *, ssh: str | None = None, dry_run: bool = False
) -> Changes:
    """Sync `output` to a local path or `user@host:path`; removed files go after the upload."""
    if ":" not in destination:
        Path(destination).parent.mkdir(parents=True, exist_ok=True)
    args = ["rsync", "--recursive", "--links", "--times", "--checksum", "--perms"]
    args += ["--chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r", "--delete-after", "--delay-updates"]
    args += [
        "--itemize-changes",
        *(["-e", ssh] if ssh else []),
        *(["--dry-run"] if dry_run else []),
    ]
    out = run([*args, f"{output}/", destination])
    return parse_itemized(out.splitlines())


# --- a git branch (GitHub Pages) through ghp-import


def git_blob_id(data: bytes) -> str:
    """The id git gives a file's content (to compare the output with the published branch)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def git_env(env: Mapping[str, str], token: str | None) -> dict[str, str]:
    """Environment for git: never prompts; an HTTPS token travels as a header, never in a URL."""
    result = {**COMMITTER, **env, "GIT_TERMINAL_PROMPT": "0"}
    if token:
        n = int(result.get("GIT_CONFIG_COUNT", "0"))
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        result |= {
            "GIT_CONFIG_COUNT": str(n + 1),
            f"GIT_CONFIG_KEY_{n}": "http.extraHeader",
            f"GIT_CONFIG_VALUE_{n}": f"Authorization: Basic {basic}",
        }
    return result


def publish_git(
    output: Path,
    target: Target,
    work: Path,
    *,
    env: Mapping[str, str] = os.environ,
    dry_run: bool = False,
) -> Changes:
    """Commit `output` as the whole content of `target.branch` and push it to `target.path`.

    `work` is a bare repository kept between deploys (created when missing) from which
    ghp-import commits and pushes; the remote URL never contains the token.
    """
    token = target.token(env)
    secrets = [token] if token else []
    genv = git_env(env, token)
    git = ["git", "-C", str(work)]
    if not work.exists():
        run(["git", "init", "--quiet", "--bare", str(work)])
    remotes = run([*git, "remote"]).split()
    run([*git, "remote", "set-url" if "origin" in remotes else "add", "origin", target.path])
    remote_ref = f"refs/remotes/origin/{target.branch}"
    heads = run([*git, "ls-remote", "--heads", "origin", target.branch], env=genv, secrets=secrets)
    old: dict[str, str] = {}
    if heads.strip():
        spec = f"+refs/heads/{target.branch}:{remote_ref}"
        run([*git, "fetch", "--quiet", "origin", spec], env=genv, secrets=secrets)
        for line in run([*git, "ls-tree", "-r", remote_ref]).splitlines():
            meta, path = line.split("\t", 1)
            old[path] = meta.split()[2]
    new = {path: git_blob_id((output / path).read_bytes()) for path in manifest(output)}
    new[".nojekyll"] = git_blob_id(b"")
    if target.cname:
        new["CNAME"] = git_blob_id(target.cname.encode())
    changes = diff(new, old)
    if dry_run or not (changes.added or changes.changed or changes.removed):
        return changes
    message = f"Publish {len(new)} files from Broadsheet"
    args = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--remote", "origin"]
    args += ["--branch", target.branch, "--message", message, str(output.resolve())]
    args += ["--cname", target.cname] if target.cname else []
    run(args, cwd=work, env=genv, secrets=secrets)
    return changes


# --- checks first, then the target's publisher


def deploy(
    output: Path,
    target: Target,
    settings: DeploySettings,
    *,
    cache: Path,
    env: Mapping[str, str] = os.environ,
    dry_run: bool = False,
    echo: Callable[[str], None] = print,
) -> Changes:
    """Check the built site in `output`, then publish it to `target`.

    Raises ChecksFailed (listing every problem) before anything is published, and DeployError
    when the target refuses; `cache` keeps state between deploys (the git target's repository).
    """
    if target.kind != "directory" and urlsplit(settings.site_url).hostname in LOCAL_HOSTS | {None}:
        raise DeployError(
            f"site_url is {settings.site_url!r}: set it in deploy.toml (or BROADSHEET_SITE_URL) "
            "to the address readers will use before publishing to a server"
        )
    secrets = {*settings.secrets(env), *filter(None, [target.token(env)])}
    problems = check_site(output, settings.site_url, secrets, cache / SECRETS_SCAN_CACHE)
    if problems:
        raise ChecksFailed(problems)
    echo(f"checks passed; {'would publish' if dry_run else 'publishing'} to {target.name}")
    if target.kind == "directory":
        changes = publish_directory(output, Path(target.path), keep=target.keep, dry_run=dry_run)
    elif target.kind == "rsync":
        changes = publish_rsync(output, target.path, ssh=target.ssh, dry_run=dry_run)
    else:
        work = cache / f"{target.name.replace(':', '_').replace('/', '_')}.git"
        changes = publish_git(output, target, work, env=env, dry_run=dry_run)
    echo(("would change: " if dry_run else "published: ") + changes.report())
    return changes
