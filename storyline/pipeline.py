"""The per-document pipeline: stages registered by name and version, each declaring what
it needs and what it adds; `build_pipeline` refuses an order that cannot work.

    read.v1      Document -> Page             (read/)
    split.v1     Page -> Blog, Posts          (split/)
    date.v1      Posts -> published, day      (date/)
    identify.v1  Blog, Posts -> stable ids    (identify/)

Later stages (enrich, cluster) register themselves the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .errors import PipelineError, describe
from .model import Document, Parsed
from .settings import Options

StageFn = Callable[[Parsed, Options], Parsed]


@dataclass(frozen=True)
class Stage:
    name: str  # 'family.variant.vN'
    fn: StageFn
    needs: frozenset[str]
    adds: frozenset[str]


REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, needs: Iterable[str] = (), adds: Iterable[str] = ()) -> Callable[[StageFn], StageFn]:
    """Register a stage function under a versioned name."""

    def register(fn: StageFn) -> StageFn:
        if name in REGISTRY:
            raise PipelineError(f"stage {name!r} registered twice")
        REGISTRY[name] = Stage(name, fn, frozenset(needs), frozenset(adds))
        return fn

    return register


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[Stage, ...]

    @property
    def signature(self) -> str:
        """Recorded with stored results: which stage versions made them."""
        return ",".join(s.name for s in self.stages)

    def run(self, document: Document, options: Options) -> Parsed:
        parsed = Parsed(document=document)
        for s in self.stages:
            try:
                parsed = s.fn(parsed, options)
            except Exception as exc:  # one bad document must not stop the batch
                raise describe(exc, document.source) from exc
        return parsed


def build_pipeline(names: Iterable[str]) -> Pipeline:
    _register_builtin()
    have = {"document"}
    stages = []
    for name in names:
        if name not in REGISTRY:
            raise PipelineError(f"no stage named {name!r}; known: {', '.join(sorted(REGISTRY))}")
        s = REGISTRY[name]
        missing = s.needs - have
        if missing:
            raise PipelineError(
                f"stage {name!r} needs {sorted(missing)}, which no earlier stage adds; "
                f"put a stage that adds them before it"
            )
        have |= s.adds
        stages.append(s)
    return Pipeline(tuple(stages))


PARSE_STAGES = ("read.v1", "split.v1", "date.v1", "identify.v1")
ENRICH_STAGES = ("enrich.v1",)


def default_pipeline(enrich: bool = False) -> Pipeline:
    return build_pipeline(PARSE_STAGES + (ENRICH_STAGES if enrich else ()))


def _register_builtin() -> None:
    if "read.v1" in REGISTRY:
        return
    from .date import date_posts
    from .identify import identify
    from .read import read_document
    from .split import split_page

    def read(parsed: Parsed, options: Options) -> Parsed:
        parsed.page = read_document(parsed.document)
        if options.outlet:
            parsed.page.outlet = options.outlet
        parsed.warnings.extend(parsed.page.warnings)
        return parsed

    stage("read.v1", needs={"document"}, adds={"page"})(read)
    stage("split.v1", needs={"page"}, adds={"blog", "posts"})(lambda p, o: split_page(p))
    stage("date.v1", needs={"blog", "posts"}, adds={"published"})(date_posts)
    stage("identify.v1", needs={"published"}, adds={"ids"})(lambda p, o: identify(p))
    from . import enrich  # noqa: F401  (registers enrich.v1)
