"""The shipped scheme files, by id and version."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .checker import suggest
from .errors import Problem, SchemeError, UnknownScheme
from .load import SchemeFile, build, read_file
from .model import LEVEL_LABELS, Scheme
from .options import choose_options


def shipped_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "assessment"


class Catalogue:
    """The scheme files of a folder, by id; several versions of one id may coexist."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[tuple[str, int], SchemeFile] = {}
        problems = []
        for path in sorted(folder.glob("*.toml")):
            try:
                sf = read_file(path)
            except SchemeError as exc:
                problems += [Problem(f"{path.name} {p.where}", p.message) for p in exc.problems]
                continue
            key = (sf.id, sf.version)
            if key in self.files:
                problems.append(Problem(path.name, f"方案 {sf.id} 第 {sf.version} 版重复"))
            self.files[key] = sf
        if problems:
            raise SchemeError(problems, source=str(folder.name))

    def ids(self) -> list[str]:
        return sorted({sid for sid, _v in self.files})

    def file(self, scheme_id: str, version: int | None = None) -> SchemeFile:
        versions = sorted(v for sid, v in self.files if sid == scheme_id)
        if not versions:
            raise UnknownScheme([Problem("scheme", f"未知的考核方案“{scheme_id}”{suggest(scheme_id, self.ids())}；"
                                                   f"可用的方案：{'、'.join(self.ids())}")])
        if version is None:
            version = versions[-1]
        if version not in versions:
            raise UnknownScheme([Problem("version", f"方案 {scheme_id} 没有第 {version} 版（现有：{versions}）")])
        return self.files[(scheme_id, version)]

    def scheme(self, scheme_id: str, version: int | None = None, options: dict | None = None) -> Scheme:
        sf = self.file(scheme_id, version)
        return build(sf, choose_options(sf.options, options))

    def latest(self) -> list[Scheme]:
        return [build(self.file(sid)) for sid in self.ids()]


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    return Catalogue(shipped_folder())


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)
