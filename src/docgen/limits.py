"""What a source may ask of docgen: bytes, nesting, image size and pixels.

The defaults hold any real document with room to spare and keep a hostile one (a 100 MB
file, YAML nested to exhaust the stack, a decompression bomb posing as a seal) from using
more than a bounded amount of time and memory. The layout profile may set them (a
``limits:`` section in megabytes and megapixels, as people count), and ``docgen build`` /
``docgen batch`` options override the profile's.
"""

from __future__ import annotations

import errno
import math
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import N_, _

MiB = 1024 * 1024
MEGAPIXEL = 1_000_000


@dataclass(frozen=True)
class Limits:
    max_source_bytes: int = 20 * MiB  # a YAML source (or batch template), checked before it is read
    max_nesting: int = 64  # lists and mappings inside each other in a source
    max_image_bytes: int = 5 * MiB  # one image file (a seal), checked before it is read
    max_image_pixels: int = 40_000_000  # width × height of one PNG or JPEG (decompression bombs)
    # Folders besides a source's own (and their subfolders) that its images may come from: --image-dir.
    image_dirs: tuple[Path, ...] = ()

    def with_settings(
        self,
        source_mb: float | None = None,
        nesting: int | None = None,
        image_mb: float | None = None,
        image_megapixels: float | None = None,
    ) -> Limits:
        """These limits with each setting that is given (not None) replacing its own, in people's units."""
        changes: dict[str, int] = {}
        if source_mb is not None:
            changes["max_source_bytes"] = _positive(source_mb, "max_source_mb", MiB)
        if nesting is not None:
            changes["max_nesting"] = _positive(nesting, "max_nesting", 1, integer=True)
        if image_mb is not None:
            changes["max_image_bytes"] = _positive(image_mb, "max_image_mb", MiB)
        if image_megapixels is not None:
            changes["max_image_pixels"] = _positive(image_megapixels, "max_image_megapixels", MEGAPIXEL)
        return replace(self, **changes)

    def settings(self) -> dict[str, float]:
        """The limits in the units of the profile's ``limits:`` section and the CLI options."""
        return {
            "max_source_mb": self.max_source_bytes / MiB,
            "max_nesting": self.max_nesting,
            "max_image_mb": self.max_image_bytes / MiB,
            "max_image_megapixels": self.max_image_pixels / MEGAPIXEL,
        }


DEFAULT_LIMITS = Limits()
SETTINGS = ("max_source_mb", "max_nesting", "max_image_mb", "max_image_megapixels")


def limits_from_settings(settings: object, base: Limits = DEFAULT_LIMITS) -> Limits:
    """``base`` with the settings of a profile's ``limits:`` mapping; DocgenError naming a bad key or value."""
    if settings is None:
        return base
    if not isinstance(settings, Mapping):
        raise DocgenError(f"'limits' must be a mapping of {', '.join(SETTINGS)}")
    unknown = [str(key) for key in settings if key not in SETTINGS]
    if unknown:
        raise DocgenError(f"unknown setting 'limits.{unknown[0]}' (expected one of: {', '.join(SETTINGS)})")
    return base.with_settings(
        source_mb=settings.get("max_source_mb"),
        nesting=settings.get("max_nesting"),
        image_mb=settings.get("max_image_mb"),
        image_megapixels=settings.get("max_image_megapixels"),
    )


def read_limited(path: Path, limit: int) -> tuple[int, bytes | None]:
    """``(size, bytes)`` of ``path``, or ``(size, None)`` when it holds more than ``limit`` bytes.

    The size comes from stat first, so a file over the limit is never read; a file that grows
    after stat is read one byte past the limit and no further. Only what the file holds is
    allocated (not ``limit`` bytes for a small file). Anything but a regular file is refused
    unopened: opening a named pipe waits for a writer, and a device such as /dev/zero never
    ends. OSError is the caller's; its ``strerror`` says what the path is.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(path, info.st_mode)
    if info.st_size > limit:
        return info.st_size, None
    with path.open("rb") as stream:
        data = stream.read(info.st_size + 1)
        if len(data) > info.st_size:  # it grew since stat: on to one byte past the limit
            data += stream.read(limit + 1 - len(data))
    return (len(data), None) if len(data) > limit else (len(data), data)


SOURCE_LIMIT_SETTING = N_("; set by --max-source-mb or the profile's limits.max_source_mb")


def read_or_refuse(path: Path, limit: int, what: str, setting: str = "") -> bytes:
    """The bytes of ``path`` read as :func:`read_limited` reads them, or a DocgenError naming the file and
    ``what`` it is ("the workbook", translated) when it can't be read or holds more than ``limit`` bytes;
    ``setting`` (translated) says where the limit is set."""
    try:
        size, raw = read_limited(path, limit)
    except OSError as error:
        raise DocgenError(
            _("{path}: cannot read {what}: {reason}").format(path=path, what=what, reason=error.strerror)
        ) from None
    if raw is None:
        too_large = _("{path}: {what} is {size:,} bytes, more than the limit of {limit:,} bytes ({megabytes}){setting}")
        raise DocgenError(
            too_large.format(path=path, what=what, size=size, limit=limit, megabytes=megabytes(limit), setting=setting)
        )
    return raw


def _not_a_file(path: Path, mode: int) -> OSError:
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return OSError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))


def megabytes(count: int) -> str:
    """A byte limit as the MB a user sets it in: 20 MB, 0.5 MB."""
    return f"{count / MiB:.3g} MB"


def megapixels(count: int) -> str:
    """A pixel limit as the megapixels a user sets it in, in the interface's words."""
    return _("{count:.3g} megapixels").format(count=count / MEGAPIXEL)


def _positive(value: object, name: str, unit: int, integer: bool = False) -> int:
    wrong = isinstance(value, bool) or not isinstance(value, int | float)
    if not wrong and integer and not float(value).is_integer():
        wrong = True
    if wrong or not math.isfinite(value) or value <= 0:  # type: ignore[arg-type]
        kind = "a whole number" if integer else "a number"
        raise DocgenError(f"'limits.{name}' must be {kind} greater than 0, got {value!r}")
    count = int(value * unit)  # type: ignore[operator]
    if count < 1:
        raise DocgenError(f"'limits.{name}' is too small: {value!r}")
    return count
