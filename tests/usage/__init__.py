"""Documented-usage harness: corpora snippets run against generated SDKs and a loopback server."""
