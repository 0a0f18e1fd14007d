"""speechsite: turn a folder of raw Chinese speeches into a static archive website."""

__version__ = "0.1.0"
