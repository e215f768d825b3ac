"""storyline: live blogs from many outlets -> one dated, attributed timeline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("storyline")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
