"""Every error storyline raises, with a short code shown in CLI lines and API bodies.

    StorylineError (E000)
    ├── ConfigError (E010)            bad option value or config file
    ├── PipelineError (E020)          stages built in an order that cannot work
    ├── AcquireError (E100)           could not get the bytes
    │   ├── SourceNotFound (E101)     no such file, folder or glob match
    │   ├── FetchError (E102)         network failure, timeout, HTTP error status
    │   ├── AddressRefused (E103)     private/loopback/link-local address without --allow-private
    │   ├── TooLarge (E104)           over the size cap
    │   └── FeedError (E105)          a feed that cannot be parsed
    ├── ReadError (E200)              could not make a page of the bytes
    │   ├── EmptyDocument (E201)
    │   ├── BinaryDocument (E202)     not text (image, archive, PDF ...)
    │   ├── NotALiveBlog (E203)       readable, but no updates found
    │   └── BadEncoding (E204)        text that no supported encoding decodes
    ├── DateError (E300)              an invalid --date and the like
    ├── EnrichError (E350)            the enrich stage cannot run
    │   └── ModelMissing (E351)       a model or its runtime is not installed (spaCy, MiniLM)
    ├── StoreError (E400)             the database refused or is unreachable
    │   └── SchemaError (E401)        database newer than this storyline
    ├── ServeError (E500)             a request the API cannot answer
    │   ├── NotFound (E501)           no such story, post, entity or day
    │   ├── BadRequest (E502)         a filter or cursor that does not parse
    │   └── Unauthorized (E503)       a write without the right token
    └── DeliveryError (E600)          an alert sink refused or could not be reached

Each error carries `where` (the file or URL) so a batch can print one line per failure:
``E203 examples/notes.txt: no live-blog updates found (a single article?)``.
"""

from __future__ import annotations


class StorylineError(Exception):
    code = "E000"

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def line(self) -> str:
        """The one line a user sees for this failure."""
        where = f"{self.where}: " if self.where else ""
        return f"{self.code} {where}{self.message}"

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "where": self.where, "message": self.message}


class ConfigError(StorylineError):
    code = "E010"


class PipelineError(StorylineError):
    code = "E020"


class AcquireError(StorylineError):
    code = "E100"


class SourceNotFound(AcquireError):
    code = "E101"


class FetchError(AcquireError):
    code = "E102"


class AddressRefused(AcquireError):
    code = "E103"


class TooLarge(AcquireError):
    code = "E104"


class FeedError(AcquireError):
    code = "E105"


class ReadError(StorylineError):
    code = "E200"


class EmptyDocument(ReadError):
    code = "E201"


class BinaryDocument(ReadError):
    code = "E202"


class NotALiveBlog(ReadError):
    code = "E203"


class BadEncoding(ReadError):
    code = "E204"


class DateError(StorylineError):
    code = "E300"


class EnrichError(StorylineError):
    code = "E350"


class ModelMissing(EnrichError):
    code = "E351"


class StoreError(StorylineError):
    code = "E400"


class SchemaError(StoreError):
    code = "E401"


class ServeError(StorylineError):
    code = "E500"
    status = 500  # the HTTP status the API answers with


class NotFound(ServeError):
    code = "E501"
    status = 404


class BadRequest(ServeError):
    code = "E502"
    status = 400


class Unauthorized(ServeError):
    code = "E503"
    status = 401


class DeliveryError(StorylineError):
    code = "E600"


def describe(exc: BaseException, where: str | None = None) -> StorylineError:
    """Wrap any exception as a StorylineError so a batch always reports a code."""
    if isinstance(exc, StorylineError):
        if where and not exc.where:
            exc.where = where
        return exc
    err = StorylineError(f"unexpected {type(exc).__name__}: {exc}", where)
    err.__cause__ = exc
    return err
