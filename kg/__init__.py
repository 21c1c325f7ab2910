"""kg: an offline knowledge-graph builder for Chinese regional-development news.

    >>> import kg
    >>> result = kg.build(["seeds"], out_dir="output")   # doctest: +SKIP
    >>> result.graph, result.rdf                          # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["build", "BuildResult"]

if TYPE_CHECKING:
    from kg.pipeline import BuildResult, build


def __getattr__(name: str) -> Any:
    # The pipeline imports the NLP stack; load it only when asked for.
    if name in __all__:
        from kg import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
