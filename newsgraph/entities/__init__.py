"""Entities a user can trust: cluster keys, type decision from all evidence, reindexing and KB linking."""
