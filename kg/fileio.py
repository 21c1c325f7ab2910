"""Writing outputs so that a crash or a kill never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import OutputError


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename.

    A failure to create, write or rename raises OutputError naming ``path``; the old file stays.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "graph.ttl"
        >>> with atomic_path(target) as tmp:
        ...     _ = tmp.write_text("ok", encoding="utf-8")
        >>> target.read_text(encoding="utf-8")
        'ok'
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{path}: cannot write here ({error.strerror}); choose another output folder") from error
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are for servers and other users too
        os.replace(tmp, path)
    except OSError as error:
        raise OutputError(f"{path}: cannot write it ({error.strerror}); free space or move what is in "
                          "its place, then build again") from error
    finally:
        tmp.unlink(missing_ok=True)
