"""News-claims analysis: who claims what about North Korean troops in Russia, who denies it,
and which troop figures they give.

The flow, one module per step: load (articles) -> claims / estimates (extraction) ->
tables (CSV files) -> chart (growth figure) -> report (notebooks, HTML)."""

__version__ = "0.1.0"
