"""The deploy settings file (deploy.toml): the site's public address and where to publish it.

```toml
site_url = "https://news.example.org"   # env BROADSHEET_SITE_URL overrides
default = "live"                        # the target of a plain `invoke deploy`

[targets.live]                          # a folder served by a web server (atomic swap)
kind = "directory"
path = "/var/www/broadsheet"

[targets.mirror]                        # rsync, local path or user@host:path over ssh
kind = "rsync"
path = "deploy@example.org:/srv/www/broadsheet/"

[targets.pages]                         # a git branch (GitHub Pages) pushed with ghp-import
kind = "git"
path = "https://github.com/you/news.git"
token_env = "GITHUB_TOKEN"              # the NAME of the variable holding the token
```

Secrets never go in this file: a target names the environment variable that holds one.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal, get_args

Kind = Literal["directory", "rsync", "git"]
SITE_URL_ENV = "BROADSHEET_SITE_URL"


class SettingsError(Exception):
    """The deploy settings are missing or wrong; the message says how to fix them."""


@dataclass(frozen=True)
class Target:
    """One place the site is published to."""

    name: str
    kind: Kind
    path: str  # directory: the live folder; rsync: its destination; git: the repository URL
    branch: str = "gh-pages"  # git only
    cname: str | None = None  # git only: the custom domain written to CNAME
    token_env: str | None = None  # git only: environment variable holding an HTTPS token
    ssh: str | None = None  # rsync only: remote shell, e.g. "ssh -p 2222"
    keep: int = 3  # directory only: releases kept on disk (the live one included)

    def token(self, env: Mapping[str, str]) -> str | None:
        return env.get(self.token_env) if self.token_env else None


@dataclass(frozen=True)
class DeploySettings:
    site_url: str = ""
    default: str | None = None
    targets: Mapping[str, Target] = field(default_factory=dict)

    def secrets(self, env: Mapping[str, str] = os.environ) -> list[str]:
        """The tokens that targets name and the environment holds: never to be published."""
        return [token for target in self.targets.values() if (token := target.token(env))]

    def target(self, name: str | None) -> Target:
        """The target called `name` (the default one when None), or one written `kind:path`."""
        name = name or self.default
        if name is None:
            raise SettingsError("no target: pass --to NAME or set `default` in deploy.toml")
        if name in self.targets:
            return self.targets[name]
        kind, sep, path = name.partition(":")
        if sep and kind in get_args(Kind):
            return Target(name=name, kind=kind, path=path)  # type: ignore[arg-type]
        known = ", ".join(sorted(self.targets)) or "none"
        raise SettingsError(
            f"unknown target {name!r} (targets in deploy.toml: {known}); "
            "or write one as directory:PATH, rsync:DEST or git:REPOSITORY"
        )


TARGET_KEYS = frozenset(f.name for f in fields(Target)) - {"name"}


def _target(name: str, table: dict, base: Path, source: Path) -> Target:
    unknown = set(table) - TARGET_KEYS
    if unknown:
        raise SettingsError(f"{source}: [targets.{name}] has unknown key(s) {sorted(unknown)}")
    kind = table.get("kind")
    if kind not in get_args(Kind) or not table.get("path"):
        raise SettingsError(
            f"{source}: [targets.{name}] needs kind = one of {list(get_args(Kind))} and a path"
        )
    path = str(table["path"])
    if kind == "directory" or ":" not in path:  # a local path: relative to the settings file
        path = str(base / Path(path).expanduser())
    return Target(name=name, **{**table, "path": path})


def load_settings(path: Path, env: Mapping[str, str] = os.environ) -> DeploySettings:
    """Read deploy.toml at `path` (a missing file means: no targets, address from the env)."""
    data: dict = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"{path}: not valid TOML: {error}") from error
    unknown = set(data) - {"site_url", "default", "targets"}
    if unknown:
        raise SettingsError(f"{path}: unknown key(s) {sorted(unknown)}")
    site_url = env.get(SITE_URL_ENV) or data.get("site_url", "")
    if site_url and not site_url.startswith(("http://", "https://")):
        where = SITE_URL_ENV if env.get(SITE_URL_ENV) else f"{path}: site_url"
        raise SettingsError(f"{where} must start with https:// or http://, not {site_url!r}")
    base = path.parent.resolve()
    targets = {
        name: _target(name, table, base, path) for name, table in data.get("targets", {}).items()
    }
    default = data.get("default")
    if default is not None and default not in targets:
        raise SettingsError(f"{path}: default = {default!r} is not one of the [targets.*] tables")
    return DeploySettings(site_url.rstrip("/"), default, targets)
