"""Placeholder until trained."""
from pathlib import Path


def model_path() -> Path:
    return Path(__file__).with_name("model") / "triggers.json"
