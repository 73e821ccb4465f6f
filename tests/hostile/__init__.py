"""Hostile docs: adversarial docs trees, their expected behaviour, and the fuzz harness they share."""
