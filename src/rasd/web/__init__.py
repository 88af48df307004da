"""Rasd's web UI and HTTP API (`rasd serve`): a thin FastAPI layer over the store's queries."""

from rasd.web.app import create_app

__all__ = ["create_app"]
