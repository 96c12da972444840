"""The layout profile: page, grid, faces and sizes, read from a YAML file in styles/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from docgen.errors import DocgenError
from docgen.limits import DEFAULT_LIMITS, Limits, limits_from_settings

STYLES_DIR = Path(__file__).parent / "styles"
DEFAULT_PROFILE = STYLES_DIR / "gbt9704.yaml"
MM_PER_PT = 25.4 / 72


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


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
    cell_line_pitch_pt: float
    cell_padding_mm: float
    border_mm: float


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
    below_block_mm: float
    outer_indent_chars: float
    char_unit: str
    dash: str


# Compared by identity, so a loaded profile can key the caches of line decisions.
@dataclass(frozen=True, eq=False)
class Profile:
    name: str
    page: Page
    grid: Grid
    faces: dict[str, Face]
    roles: dict[str, RoleStyle]
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

    def char_unit_pt(self, role: str) -> float:
        """One character of ``role`` in points: a grid cell for body-sized text."""
        size = self.roles[role].size_pt
        return self.char_pitch_pt * size / self.roles["body"].size_pt


def load_profile(path: Path = DEFAULT_PROFILE) -> Profile:
    """Read a profile; a malformed one is a :class:`DocgenError` naming the file and key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Profile(
            name=str(data["name"]),
            page=Page(**data["page"]),
            grid=Grid(**data["grid"]),
            faces={
                key: Face(key, tuple(value["office"]), tuple(value["free"])) for key, value in data["faces"].items()
            },
            roles={key: RoleStyle(**value) for key, value in data["roles"].items()},
            body=BodyRules(**data["body"]),
            signature=SignatureRules(**data["signature"]),
            page_number=PageNumberRules(**data["page_number"]),
            header=HeaderRules(**data["header"]),
            letter=LetterRules(**data["letter"]),
            order=OrderRules(**data["order"]),
            seal=SealRules(**data["seal"]),
            colophon=ColophonRules(**data["colophon"]),
            table=TableRules(**data["table"]),
            source=path,
            limits=_limits(data.get("limits"), path),
        )
    except (OSError, yaml.YAMLError) as error:
        raise DocgenError(f"{path}: cannot read the layout profile: {error}") from None
    except (KeyError, TypeError) as error:
        raise DocgenError(f"{path}: layout profile is missing or misnames a setting: {error}") from None


def _limits(settings: object, path: Path) -> Limits:
    try:
        return limits_from_settings(settings)
    except DocgenError as error:
        raise DocgenError(f"{path}: layout profile: {error}") from None
