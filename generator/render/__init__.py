"""Rendering: an `Archive` → pages (HTML, feeds, sitemap) through a Jinja2 theme."""
