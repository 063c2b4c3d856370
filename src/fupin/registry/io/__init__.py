"""导入导出: bulk import and export of the registry in the national system's layout.

`registry_import` (importer.py) reads .xlsx/.csv files, checks every row with registry/validation.py
and writes set-based through staging tables (staging.py); `registry_export` (exporter.py) streams
the same layout out, scoped and masked. See docs/import-export.md.
"""
