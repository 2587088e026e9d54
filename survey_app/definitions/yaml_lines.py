"""Parse YAML into plain data while remembering the line of every value.

Validation errors are reported as ``file:line``, so the loader needs, for each path such as
``("sections", 0, "questions", 2, "type")``, the line it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

Path = tuple


@dataclass
class YamlProblem(Exception):
    line: int
    message: str


def load_with_lines(text: str) -> tuple[object, dict[Path, int]]:
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character: the reader refuses the whole text
        line = text[:exc.position].count("\n") + 1
        raise YamlProblem(line, f"not valid YAML: character {exc.character:#06x} is not allowed in a text file") from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(1, "the file is empty")
        lines: dict[Path, int] = {}
        return _build(node, (), lines, loader), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # errors without a position, e.g. from the reader mid-stream
        raise YamlProblem(1, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], loader: yaml.SafeLoader):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlProblem(key_node.start_mark.line + 1, f"key {key!r} must be a text")
            if key in result:
                raise YamlProblem(key_node.start_mark.line + 1, f"'{key}' appears twice in the same block")
            result[key] = _build(value_node, path + (key,), lines, loader)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def line_for(lines: dict[Path, int], path: Path) -> int:
    """The line of the deepest known ancestor of ``path``."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)
