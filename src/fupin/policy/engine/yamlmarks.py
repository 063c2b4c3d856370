"""A YAML reader that remembers the line of every key and list item, so errors can name them.

Built on PyYAML's safe composer (no arbitrary objects). Mappings become `Located` dicts whose
`lines` give the (1-based) line of each key; sequences become `LocatedList`s with the line of each
item. Duplicate keys are an error (PyYAML would silently keep the last one).
"""

from __future__ import annotations

import yaml


class Located(dict):
    """A mapping read from YAML; `line` is where it starts, `lines[key]` where each key is."""

    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list):
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class YamlError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


_constructor = yaml.SafeLoader


def _convert(node: yaml.Node, loader: yaml.SafeLoader):
    if isinstance(node, yaml.MappingNode):
        out = Located()
        out.line = node.start_mark.line + 1
        out.lines = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _convert(key_node, loader)
            if isinstance(key, (dict, list)):
                raise YamlError("a key must be a plain value / 键必须是简单值", key_node.start_mark.line + 1)
            if key in out:
                raise YamlError(f"duplicate key {key!r} / 重复的键", key_node.start_mark.line + 1)
            out[key] = _convert(value_node, loader)
            out.lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.line = node.start_mark.line + 1
        items.lines = []
        for item in node.value:
            items.append(_convert(item, loader))
            items.lines.append(item.start_mark.line + 1)
        return items
    return loader.construct_object(node, deep=True)


def load(text: str):
    """Parse one YAML document into Located / LocatedList / scalars."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _convert(node, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(f"YAML syntax error / 语法错误: {exc.problem or exc}", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error / 格式错误: {exc}", None) from exc
    finally:
        loader.dispose()
