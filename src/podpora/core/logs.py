"""Structured log lines: key=value (logfmt) or one JSON object per line.

Chosen by PODPORA_LOG_FORMAT (plain, kv, json). Fields given as ``extra={"fields": {...}}``
become keys of their own, so a request line reads
``time=… level=INFO logger=podpora.request method=GET path=/desk/ view=desk:queue status=200 ms=12.4``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+,")


def _stamp(record: logging.LogRecord) -> str:
    return dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")


def fields(record: logging.LogRecord) -> dict:
    out = {"time": _stamp(record), "level": record.levelname, "logger": record.name}
    extra = getattr(record, "fields", None)
    message = record.getMessage()
    if message and not isinstance(extra, dict):
        out["msg"] = message
    if isinstance(extra, dict):
        out.update(extra)
    if record.exc_info:
        out["exc"] = logging.Formatter().formatException(record.exc_info)
    return out


def kv_value(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text and set(text) <= _SAFE:
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{k}={kv_value(v)}" for k, v in fields(record).items())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(fields(record), ensure_ascii=False, default=str)
