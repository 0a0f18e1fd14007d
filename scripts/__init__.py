"""Helper scripts for development and the site checks; see the Makefile."""
