"""The layout profile: page, grid, faces and sizes, read from a YAML file in styles/."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import TypeVar

import yaml

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.limits import DEFAULT_LIMITS, Limits, limits_from_settings, read_or_refuse
from docgen.roles import Role
from docgen.units import (
    HALF_POINTS_PER_PT,
    MM_PER_PT,
    TWIPS_PER_PT,
    WORD_MIN_EXACT_LINE_PT,
    mm_to_pt,
    mm_to_twips,
    on_grid,
    pt_to_twips,
    twips_to_pt,
)

STYLES_DIR = Path(__file__).parent / "styles"
DEFAULT_PROFILE = STYLES_DIR / "gbt9704.yaml"
T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    width_mm: float
    height_mm: float
    top_mm: float
    left_mm: float
    right_mm: float
    bottom_mm: float

    @property
    def block_width_pt(self) -> float:
        return mm_to_pt(self.width_mm - self.left_mm - self.right_mm)

    @property
    def block_height_pt(self) -> float:
        return mm_to_pt(self.height_mm - self.top_mm - self.bottom_mm)


@dataclass(frozen=True)
class Grid:
    lines_per_page: int
    chars_per_line: int
    line_pitch_pt: float
    letter_spacing_pt: float
    baseline_ratio: float
    western_gap_em: float
    max_squeeze_pt: float


@dataclass(frozen=True)
class Face:
    key: str
    office: tuple[str, ...]
    free: tuple[str, ...]


@dataclass(frozen=True)
class RoleStyle:
    face: str
    size_pt: float
    color: str = "000000"  # RGB in hex, as WordprocessingML writes it


@dataclass(frozen=True)
class HeaderRules:
    mark_top_mm: float
    mark_line_ratio: float
    mark_suffix_gap_chars: float
    blank_lines_below_mark: int
    rule_below_number_mm: float
    rule_width_mm: float
    rule_color: str
    blank_lines_below_rule: int
    star: bool
    em_ascent: float


@dataclass(frozen=True)
class LetterRules:
    mark_top_mm: float
    rule_below_mark_mm: float
    rule_above_bottom_mm: float
    rule_length_mm: float
    thick_mm: float
    thin_mm: float
    gap_mm: float
    mark_size_pt: float


@dataclass(frozen=True)
class OrderRules:
    mark_top_mm: float
    blank_lines_below_mark: int
    blank_lines_below_number: int


@dataclass(frozen=True)
class SealRules:
    diameter_mm: float
    signer_seal_width_mm: float
    gap_mm: float
    centre_above_signature_em: float
    date_right_indent_chars: float
    blank_lines_before_signer: int


@dataclass(frozen=True)
class ColophonRules:
    thick_mm: float
    thin_mm: float
    side_indent_chars: float


@dataclass(frozen=True)
class TableRules:
    cell_padding_mm: float
    border_mm: float
    cell_line_pitch_pt: float  # derived from the grid (cell_line_pitch_pt()), never read from the YAML


@dataclass(frozen=True)
class BodyRules:
    first_line_indent_chars: float
    blank_lines_after_title: int


@dataclass(frozen=True)
class SignatureRules:
    blank_lines_before: int
    right_indent_chars: float
    date_offset_chars: float


@dataclass(frozen=True)
class PageNumberRules:
    below_block_mm: float  # the 一字线's stroke under the block's lower edge
    dash_rise_em: float  # that stroke's height above the number's baseline, in ems of its size
    outer_indent_chars: float
    char_unit: Role  # the role whose character outer_indent_chars counts
    dash: str


# Compared by identity, so a loaded profile can key the caches of line decisions.
@dataclass(frozen=True, eq=False)
class Profile:
    name: str
    page: Page
    grid: Grid
    faces: dict[str, Face]
    roles: dict[Role, RoleStyle]  # every role, in the profile's order
    body: BodyRules
    signature: SignatureRules
    page_number: PageNumberRules
    header: HeaderRules
    letter: LetterRules
    order: OrderRules
    seal: SealRules
    colophon: ColophonRules
    table: TableRules
    source: Path
    limits: Limits = DEFAULT_LIMITS  # what a source may ask (limits:); CLI options override

    @property
    def char_pitch_pt(self) -> float:
        """One 字 on the grid: the block width shared by the characters of a full line."""
        return self.page.block_width_pt / self.grid.chars_per_line

    def char_unit_pt(self, role: Role) -> float:
        """One character of ``role`` in points: a grid cell for body-sized text."""
        size = self.roles[role].size_pt
        return self.char_pitch_pt * size / self.roles[Role.BODY].size_pt

    @property
    def page_number_baseline_mm(self) -> float:
        """The page number's baseline under the block's lower edge: its 一字线 below_block_mm under
        the block (7.5), the baseline dash_rise_em of the number's size lower."""
        rules = self.page_number
        return rules.below_block_mm + rules.dash_rise_em * self.roles[Role.PAGE_NUMBER].size_pt * MM_PER_PT


def load_profile(path: Path = DEFAULT_PROFILE) -> Profile:
    """Read a profile; a malformed one is a :class:`DocgenError` naming the file and key.

    Every setting is checked for its type and range, and every string for what it may hold (a
    font name goes into CSS and XML, a colour into CSS): a hostile profile gets a message, not
    a stylesheet it wrote. Then the settings are checked against each other and against the
    formats' grids (:func:`_check_invariants`): a profile the DOCX and the PDF would set
    differently is refused, not written.
    """
    data = _read(path)
    try:
        faces = {key: _face(key, value) for key, value in _mapping(data.get("faces"), "faces").items()}
        roles = _roles(data.get("roles"), faces)
        page_number = _settings(PageNumberRules, data.get("page_number"), "page_number")
        grid = _settings(Grid, data.get("grid"), "grid")
        # checked here, not with the other invariants: the cell pitch is derived from it next
        _check_twips(grid.line_pitch_pt, "grid.line_pitch_pt", "Word would round the DOCX's lines off the PDF's")
        table = _settings(TableRules, data.get("table"), "table", cell_line_pitch_pt=cell_line_pitch_pt(grid))
        profile = Profile(
            name=_text(data.get("name"), "name"),
            page=_settings(Page, data.get("page"), "page"),
            grid=grid,
            faces=faces,
            roles=roles,
            body=_settings(BodyRules, data.get("body"), "body"),
            signature=_settings(SignatureRules, data.get("signature"), "signature"),
            page_number=page_number,
            header=_settings(HeaderRules, data.get("header"), "header"),
            letter=_settings(LetterRules, data.get("letter"), "letter"),
            order=_settings(OrderRules, data.get("order"), "order"),
            seal=_settings(SealRules, data.get("seal"), "seal"),
            colophon=_settings(ColophonRules, data.get("colophon"), "colophon"),
            table=table,
            source=path,
            limits=_limits(data.get("limits"), path),
        )
        _check_invariants(profile)
        return profile
    except _ProfileError as error:
        raise DocgenError(f"{path}: layout profile: {error}") from None


_CELL_LINES_PER_GRID_LINE = 2 / 3  # three cell lines fill two grid lines
# Settings computed from others, and why: typed twice, the two copies would drift apart.
_DERIVED = {
    "table.cell_line_pitch_pt": "a cell's line pitch is derived, ⅔ of 'grid.line_pitch_pt' in whole twips "
    "(28.95 pt, 579 twips, gives 386 twips, 19.3 pt), so three cell lines fill two grid lines",
}


def cell_line_pitch_pt(grid: Grid) -> float:
    """A table cell's exact line: ⅔ of the grid's line in whole twips, so the DOCX and the PDF set
    the same height (579 twips → 386 twips, 19.3 pt)."""
    return twips_to_pt(round(pt_to_twips(grid.line_pitch_pt) * _CELL_LINES_PER_GRID_LINE))


def _check_invariants(profile: Profile) -> None:
    """The settings that must agree with each other and with the formats' grids."""
    _check_twips(profile.grid.letter_spacing_pt, "grid.letter_spacing_pt", "Word would round the DOCX's spacing")
    for key, role in profile.roles.items():
        _check_half_points(role.size_pt, f"roles.{key}.size_pt")
    _check_block(profile.page)
    _check_lines_fit(profile)
    _check_chars_fit(profile)


def _check_twips(points: float, where: str, why: str) -> None:
    """A length the DOCX stores in twips: off their grid, Word rounds it and the PDF does not."""
    if not on_grid(points, TWIPS_PER_PT):
        below, above = (twips_to_pt(step(points * TWIPS_PER_PT)) for step in (math.floor, math.ceil))
        raise _ProfileError(
            f"'{where}' must be a whole number of twips (1/20 pt; {why}), got {points:g}; the nearest are "
            f"{below:g} and {above:g}"
        )


def _check_half_points(points: float, where: str) -> None:
    if not on_grid(points, HALF_POINTS_PER_PT):
        below, above = (step(points * HALF_POINTS_PER_PT) / HALF_POINTS_PER_PT for step in (math.floor, math.ceil))
        raise _ProfileError(
            f"'{where}' must be a whole number of half points (Word sets sizes in half points, the PDF would "
            f"not), got {points:g}; the nearest are {below:g} and {above:g}"
        )


def _check_block(page: Page) -> None:
    for across, start, end, whole in (
        ("width", "left", "right", page.width_mm),
        ("height", "top", "bottom", page.height_mm),
    ):
        margins = getattr(page, f"{start}_mm") + getattr(page, f"{end}_mm")
        if margins >= whole:
            raise _ProfileError(
                f"'page.{start}_mm' + 'page.{end}_mm' ({margins:g} mm) must be less than 'page.{across}_mm' "
                f"({whole:g} mm): they leave no text block"
            )


def _check_lines_fit(profile: Profile) -> None:
    """The grid's lines in the block's height, with room under them for the spacer paragraph a DOCX
    section break needs after a full page of a table: in whole twips, as Word lays the page out."""
    page, grid = profile.page, profile.grid
    block = mm_to_twips(page.height_mm) - mm_to_twips(page.top_mm) - mm_to_twips(page.bottom_mm)
    pitch = pt_to_twips(grid.line_pitch_pt)
    spacer = pt_to_twips(WORD_MIN_EXACT_LINE_PT)
    room = block - grid.lines_per_page * pitch
    if room < spacer:
        largest = twips_to_pt((block - spacer) // grid.lines_per_page)
        raise _ProfileError(
            f"'grid.lines_per_page' × 'grid.line_pitch_pt' ({grid.lines_per_page} × {grid.line_pitch_pt:g} pt = "
            f"{twips_to_pt(grid.lines_per_page * pitch):.1f} pt) must fit the text block's height "
            f"({page.height_mm - page.top_mm - page.bottom_mm:g} mm, {twips_to_pt(block):.1f} pt in the DOCX) with "
            f"{WORD_MIN_EXACT_LINE_PT:g} pt to spare for the DOCX section break's spacer paragraph (Word's "
            f"thinnest exact line); it leaves {twips_to_pt(room):.2f} pt. {grid.lines_per_page} lines fit at a pitch "
            f"of at most {largest:g} pt (GB/T 9704's 22 lines at 28.95 pt leave 0.9 pt of its 225 mm block)"
        )


def _check_chars_fit(profile: Profile) -> None:
    """A full line holds chars_per_line body characters with their letter spacing, and not one
    more: the grid's character pitch is the block's width over chars_per_line. Counted as the line
    breaker counts (a negative spacing after the last character counts, a positive one not)."""
    grid, size = profile.grid, profile.roles[Role.BODY].size_pt
    advance = size + grid.letter_spacing_pt
    if advance <= 0:
        raise _ProfileError(
            f"'grid.letter_spacing_pt' ({grid.letter_spacing_pt:g}) must be greater than minus the body's size "
            f"({size:g} pt): characters would not advance"
        )
    width = profile.page.block_width_pt
    holds = math.floor((width + max(grid.letter_spacing_pt, 0.0)) / advance + _FITS)
    if holds != grid.chars_per_line:
        raise _ProfileError(
            f"'grid.chars_per_line' is {grid.chars_per_line}, but a line of the text block "
            f"({profile.page.width_mm - profile.page.left_mm - profile.page.right_mm:g} mm, {width:.1f} pt) holds "
            f"{holds} characters of the body's {size:g} pt with 'grid.letter_spacing_pt' {grid.letter_spacing_pt:g} "
            f"({advance:g} pt each): the grid's characters would not line up; change either"
        )


_FITS = 1e-6  # a line that fits exactly fits


MAX_PROFILE_BYTES = 1024 * 1024  # the bundled one is 7 KB
_SECTIONS = (
    "name", "page", "grid", "faces", "roles", "body", "signature", "page_number", "header", "letter",
    "order", "seal", "colophon", "table", "limits",
)  # fmt: skip
_POSITIVE = frozenset(
    ("page.width_mm", "page.height_mm", "grid.lines_per_page", "grid.chars_per_line", "grid.line_pitch_pt", "size_pt")
)
_LARGEST = 100_000  # no length, size or count of a page comes near
_HEX_COLOR = re.compile(r"[0-9A-Fa-f]{6}")
_NOT_IN_FONT_NAMES = frozenset("\"'<>{};\\")  # what would end a CSS string or rule, or an XML attribute


class _ProfileError(Exception):
    """A setting that is missing, misnamed or out of range; load_profile adds the file's name."""


def _read(path: Path) -> dict[str, object]:
    """The profile's top-level mapping: a regular file of at most MAX_PROFILE_BYTES of UTF-8 YAML."""
    raw = read_or_refuse(path, MAX_PROFILE_BYTES, _("the layout profile"))
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=yaml.CSafeLoader)
    except UnicodeDecodeError:
        raise DocgenError(
            f"{path}: the layout profile is not UTF-8 text (a YAML file like styles/gbt9704.yaml)"
        ) from None
    except yaml.YAMLError as error:
        raise DocgenError(f"{path}: the layout profile is not valid YAML: {error}") from None
    except RecursionError:  # libyaml allows 1,000 levels; constructing them recurses in Python
        raise DocgenError(f"{path}: the layout profile is nested too deep; a profile is two levels deep") from None
    if not isinstance(data, dict):
        raise DocgenError(f"{path}: the layout profile must be a mapping of {', '.join(_SECTIONS)}")
    unknown = [str(key) for key in data if key not in _SECTIONS]
    if unknown:
        raise DocgenError(
            f"{path}: layout profile: unknown section '{unknown[0][:40]}' (expected {', '.join(_SECTIONS)})"
        )
    return data


def _mapping(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise _ProfileError(f"'{where}' must be a mapping of names to settings, got {_shown(value)}")
    return value


def _settings(kind: type[T], value: object, where: str, **derived: float) -> T:
    """The dataclass ``kind`` from the mapping ``value`` (at ``where``), each field checked by its type;
    the ``derived`` fields come from other settings and may not be given."""
    values = _mapping(value, where)
    given = [key for key in values if key in derived]
    if given:
        raise _ProfileError(f"'{where}.{given[0]}' is not a setting: {_DERIVED[f'{where}.{given[0]}']}; remove it")
    known = {field.name: field for field in fields(kind) if field.name not in derived}  # type: ignore[arg-type]
    unknown = [key for key in values if key not in known]
    if unknown:
        raise _ProfileError(f"unknown setting '{where}.{unknown[0][:40]}' (expected one of: {', '.join(known)})")
    missing = [name for name, field in known.items() if name not in values and field.default is MISSING]
    if missing:
        raise _ProfileError(f"'{where}' is missing '{missing[0]}'")
    return kind(
        **{key: _setting(f"{where}.{key}", str(known[key].type), item) for key, item in values.items()}, **derived
    )


def _setting(where: str, kind: str, value: object) -> object:
    """One setting of the dataclass field type ``kind``: str, Role, bool, int or float."""
    if kind == "Role":
        return _role_name(value, where)
    if kind == "str":
        return _color(value, where) if where.endswith("color") else _text(value, where)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _ProfileError(f"'{where}' must be true or false, got {_shown(value)}")
        return value
    whole = kind == "int"
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float) or not math.isfinite(value):
        raise _ProfileError(f"'{where}' must be {'a whole number' if whole else 'a number'}, got {_shown(value)}")
    positive = where in _POSITIVE or where.rpartition(".")[2] in _POSITIVE
    least = 0 if whole or positive else -_LARGEST
    if not least <= value <= _LARGEST or (positive and value == 0):
        bound = "greater than 0" if positive else f"from {least:,}"
        raise _ProfileError(f"'{where}' must be {bound} and at most {_LARGEST:,}, got {value!r}")
    return value


def _text(value: object, where: str) -> str:
    """A short plain text: a name, the page number's dash."""
    if not isinstance(value, str) or not value or len(value) > 100:
        raise _ProfileError(f"'{where}' must be a text of 1 to 100 characters, got {_shown(value)}")
    if any(unicodedata.category(char).startswith("C") for char in value):
        raise _ProfileError(f"'{where}' contains a control or format character")
    return value


def _color(value: object, where: str) -> str:
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise _ProfileError(f"'{where}' must be a colour as six hex digits RRGGBB such as FF0000, got {_shown(value)}")
    return value


def _face(key: str, value: object) -> Face:
    settings = _mapping(value, f"faces.{key}")
    unknown = [name for name in settings if name not in ("office", "free")]
    if unknown:
        raise _ProfileError(f"unknown setting 'faces.{key}.{unknown[0][:40]}' (expected office and free)")
    return Face(
        key,
        _font_names(settings.get("office"), f"faces.{key}.office"),
        _font_names(settings.get("free"), f"faces.{key}.free"),
    )


def _font_names(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _ProfileError(f"'{where}' must be a list of font names, got {_shown(value)}")
    for name in value:
        text = _text(name, f"each font name of '{where}'")
        if _NOT_IN_FONT_NAMES & set(text):
            raise _ProfileError(f"the font name {text!r} of '{where}' may not hold quotes, < > {{ }} ; or \\")
    return tuple(value)


def _roles(value: object, faces: dict[str, Face]) -> dict[Role, RoleStyle]:
    """A style for every role docgen sets and for no other: a role without one would fail
    mid-build, one docgen does not set would never be used."""
    roles = {_role_name(key, "roles"): _role(key, style, faces) for key, style in _mapping(value, "roles").items()}
    missing = [role for role in Role if role not in roles]
    if missing:
        raise _ProfileError(f"'roles' lacks '{missing[0]}', a role docgen sets (it sets {', '.join(Role)})")
    return roles


def _role_name(name: object, where: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        raise _ProfileError(
            f"'{where}' names the role {_shown(name)}, which docgen does not set (it sets {', '.join(Role)})"
        ) from None


def _role(key: str, value: object, faces: dict[str, Face]) -> RoleStyle:
    role = _settings(RoleStyle, value, f"roles.{key}")
    if role.face not in faces:
        raise _ProfileError(f"'roles.{key}.face' names a face, one of {', '.join(faces)}; got {role.face!r}")
    return role


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


def _limits(settings: object, path: Path) -> Limits:
    try:
        return limits_from_settings(settings)
    except DocgenError as error:
        raise DocgenError(f"{path}: layout profile: {error}") from None
