"""The notebooks' parameters: one list of names and types, and one check that both the
command line (`python -m analysis report`) and the notebooks themselves use.

A notebook run directly with papermill gets no other check: papermill injects any `-p NAME
VALUE` as a new variable, so a misspelt name would silently run on the defaults. Each notebook
therefore notes the names that exist before its parameters cell (`note_existing_names`) and
checks, in the cell after the parameters, every name the parameters and papermill's injected
cell brought in (`check_notebook`): an unknown name, a wrong type, a bad date, an empty date
range or an unknown party raises ParameterError with one line naming the parameter, and
papermill exits non-zero."""

from __future__ import annotations

from collections.abc import MutableMapping

from .load import parse_iso_date
from .paths import resolve

# name -> the Python type its value has in the notebooks (the parameters cells declare the same;
# a test keeps them in agreement).
PARAMETER_TYPES: dict[str, type] = {
    "articles_dir": str, "manifest": str, "output_dir": str, "date_from": str, "date_to": str,
    "parties": list, "outlets": list, "lexicon_dir": str, "max_bytes": int, "corrections": str,
    "max_rows": int, "log_scale": str, "topic_dir": str, "scheduler": str,
}
DATE_PARAMETERS = ("date_from", "date_to")
TRUE_WORDS = {"true", "1", "yes", "y", "on"}
FALSE_WORDS = {"false", "0", "no", "n", "off"}
# Names the kernel itself defines (IPython's history and helpers): never parameters.
KERNEL_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})

_names_before: set[str] | None = None


class ParameterError(ValueError):
    """A bad parameter; the message is one line naming it."""


def note_existing_names(namespace: MutableMapping[str, object]) -> None:
    """Remember the names a notebook has before its parameters cell runs, so that the check
    after it looks only at what the parameters and papermill brought in (names a user made in
    an exploring session are not parameters)."""
    global _names_before
    _names_before = set(namespace)


def _type_name(kind: type) -> str:
    return {str: "text", int: "a whole number", list: "a list", bool: "true or false"}.get(kind, kind.__name__)


def _as_type(name: str, value: object, kind: type) -> object:
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"parameter {name} expects {_type_name(kind)}, got {value!r}")
        return value
    if kind is list:
        if isinstance(value, str):  # "UKR,KOR" as papermill's -p gives it
            from .views import as_list

            return list(as_list(value))
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
            raise ParameterError(f"parameter {name} expects a list of names, got {value!r}")
        return list(value)
    if kind is str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ParameterError(f"parameter {name} expects {_type_name(kind)}, got {value!r}")
        return value
    return value


def check_values(values: MutableMapping[str, object], lexicon_dir: str | None = None) -> MutableMapping[str, object]:
    """Check the parameters present in `values` and normalise them in place (lists from
    "a,b" text, log_scale as auto/log/linear, party names as codes); returns `values`.
    ParameterError (one line) on a wrong type, a date that is not YYYY-MM-DD, date_from after
    date_to, max_rows or max_bytes below 1, a bad log_scale or an unknown party."""
    from .chart import scale_choice
    from .views import party_codes

    for name, kind in PARAMETER_TYPES.items():
        if name in values:
            values[name] = _as_type(name, values[name], kind)
    for name in DATE_PARAMETERS:
        value = values.get(name) or ""
        if value and parse_iso_date(str(value)) is None:
            raise ParameterError(f"parameter {name} expects a date as YYYY-MM-DD, got {value!r}")
    if values.get("date_from") and values.get("date_to") and \
            parse_iso_date(str(values["date_from"])) > parse_iso_date(str(values["date_to"])):  # type: ignore[operator]
        raise ParameterError(f"date_from {values['date_from']} is after date_to {values['date_to']}: no article "
                             "can be in that range")
    for name in ("max_rows", "max_bytes"):
        if name in values and values[name] < 1:  # type: ignore[operator]
            raise ParameterError(f"parameter {name} must be at least 1, got {values[name]}")
    if values.get("topic_dir"):
        topic = resolve(str(values["topic_dir"]))
        if topic is None or not topic.is_dir():
            raise ParameterError(f"parameter topic_dir: {values['topic_dir']}: topic folder not found")
    try:
        if "log_scale" in values:
            values["log_scale"] = scale_choice(values["log_scale"])
        if "parties" in values:
            folder = lexicon_dir or (str(resolve(str(values["lexicon_dir"]))) if values.get("lexicon_dir") else None)
            values["parties"] = list(party_codes(values["parties"], folder))
    except ValueError as error:
        raise ParameterError(str(error)) from error
    return values


def check_notebook(namespace: MutableMapping[str, object]) -> None:
    """The check a notebook runs after its parameters cell: every name the parameters cell and
    papermill's injected cell brought in must be a known parameter, and every known one must
    pass `check_values`; the namespace's values are normalised in place."""
    new = set(namespace) - (_names_before or set())
    unknown = sorted(n for n in new if not n.startswith("_") and n not in KERNEL_NAMES and n not in PARAMETER_TYPES)
    if unknown:
        known = ", ".join(sorted(PARAMETER_TYPES))
        raise ParameterError(f"unknown parameter {unknown[0]!r} (the notebooks take: {known})")
    present = {name: namespace[name] for name in PARAMETER_TYPES if name in namespace}
    check_values(present)
    namespace.update(present)
