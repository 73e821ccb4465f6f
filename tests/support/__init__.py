"""Shared helpers for tests that run generated SDKs against real corpora and a loopback server."""
