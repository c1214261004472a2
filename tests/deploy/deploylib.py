"""Parsers shared by the deployment checks: the Dockerfile (stages, ENV, ENTRYPOINT/CMD,
STOPSIGNAL, apt packages) and fly.toml (durations, the values the smoke test needs).

Only the Dockerfile features this repository uses are understood; anything surprising
raises, so a check never passes by misreading the file.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Instruction:
    keyword: str  # upper case, e.g. "RUN"
    args: str  # the rest of the line, continuations joined
    line: int  # 1-based line of the keyword


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None

    def env(self) -> dict[str, str]:
        """ENV in order, `ENV K=V K2="V 2"` form only (the legacy `ENV K V` is refused)."""
        env: dict[str, str] = {}
        for ins in self.all("ENV"):
            for word in shlex.split(ins.args):
                if "=" not in word:
                    raise ValueError(f"Dockerfile:{ins.line}: use ENV KEY=VALUE, got {word!r}")
                key, value = word.split("=", 1)
                env[key] = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), value)
        return env

    def exec_form(self, keyword: str) -> list[str]:
        ins = self.last(keyword)
        if ins is None:
            return []
        value = json.loads(ins.args)
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"Dockerfile:{ins.line}: {keyword} must be a JSON array of strings")
        return value

    def apt_packages(self) -> list[str]:
        """Packages named by `apt-get install` in this stage's RUN instructions."""
        packages: list[str] = []
        for ins in self.all("RUN"):
            for command in re.split(r"&&|;|\|\|", ins.args):
                words = shlex.split(command)
                if words[:2] == ["apt-get", "install"]:
                    packages += [w for w in words[2:] if not w.startswith("-")]
        return packages


def parse_dockerfile(path: Path) -> list[Stage]:
    lines = path.read_text().splitlines()
    logical: list[tuple[int, str]] = []
    buf, start = "", 0
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction
        if not buf:
            start = number
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        logical.append((start, buf + stripped))
        buf = ""
    if buf:
        raise ValueError("Dockerfile ends inside a line continuation")
    stages: list[Stage] = []
    for number, text in logical:
        keyword, _, args = text.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        elif keyword == "ARG" and not stages:
            continue
        elif not stages:
            raise ValueError(f"Dockerfile:{number}: {keyword} before the first FROM")
        else:
            stages[-1].instructions.append(Instruction(keyword, args.strip(), number))
    return stages


def load_fly(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def seconds(value: int | str) -> float:
    """A Fly duration: an integer (seconds for kill_timeout) or "90s", "1m", "500ms"."""
    if isinstance(value, int):
        return float(value)
    m = re.fullmatch(r"(\d+)(ms|s|m|h)", value)
    if not m:
        raise ValueError(f"not a duration: {value!r}")
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def rust_const_secs(path: Path, name: str) -> int:
    """`const NAME: Duration = Duration::from_secs(N);` in a source file."""
    m = re.search(rf"const {name}: Duration = Duration::from_secs\((\d+)\);", path.read_text())
    if not m:
        raise ValueError(f"{path}: no `const {name}: Duration = Duration::from_secs(..)`")
    return int(m.group(1))
