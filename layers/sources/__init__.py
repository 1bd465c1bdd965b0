"""Readers that turn known real-world sources into frames shaped like catalog layers."""
