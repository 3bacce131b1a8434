"""Shared pieces every Sango app uses: base layout, health check, logging, i18n tooling."""
