"""Ingest: raw speech files → cleaned `Speech` values → Markdown files in content/speeches/."""
