"""Pelican plugin: Broadsheet's digest, entity, topic and source pages (see plugin.py)."""

from .plugin import register

__all__ = ["register"]
