"""The API endpoints, per resource: check input, call one service or selector, render."""
