"""Evaluation of newsgraph against research corpora read in place (never copied into the project)."""
