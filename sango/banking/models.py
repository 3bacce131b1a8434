"""banking models."""
