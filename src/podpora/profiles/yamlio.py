"""YAML in and out: values keep their line numbers; output is one canonical text.

Our resolver reads YAML plainly: no timestamps (dates stay "2026-01-01" strings, as JSON
Schema expects) and no base-60 integers (``16:30`` is a time, not 990).
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class _Resolver(yaml.resolver.Resolver):
    pass


_Resolver.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in value if tag not in ("tag:yaml.org,2002:timestamp",)]
    for key, value in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_INT = re.compile(r"^(?:[-+]?0|[-+]?[1-9][0-9_]*)$")
for _key, _value in _Resolver.yaml_implicit_resolvers.items():
    _Resolver.yaml_implicit_resolvers[_key] = [
        (tag, _INT if tag == "tag:yaml.org,2002:int" else rx) for tag, rx in _value
    ]


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _Resolver,
):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Resolver.__init__(self)


class YamlError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


Path = tuple[Any, ...]


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """The document and, for every path (keys and list indices), the line it starts on."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(mark.line + 1 if mark else 1, str(exc.problem or exc)) from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    return _build(loader, node, (), lines), lines


def _build(loader: _Loader, node, path: Path, lines: dict[Path, int]):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise YamlError(key_node.start_mark.line + 1, "bad key")
            key = str(key)
            if key in out:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key {key}")
            out[key] = _build(loader, value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child, (*path, i), lines) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


class _Dumper(
    yaml.emitter.Emitter,
    yaml.serializer.Serializer,
    yaml.representer.SafeRepresenter,
    _Resolver,
):
    def __init__(self, stream, **kwargs):
        yaml.emitter.Emitter.__init__(
            self, stream, allow_unicode=True, width=100, indent=2, line_break="\n"
        )
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, sort_keys=False)
        _Resolver.__init__(self)

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # lists indented under their key


def _flat(value) -> bool:
    return not isinstance(value, (dict, list))


def _represent_list(dumper, data):
    flow = all(_flat(v) or (isinstance(v, list) and all(map(_flat, v))) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, default_flow_style=False)
