"""Merging curators' databases and exports, as registers keyed by uid.

- :mod:`.engine`: :func:`~.engine.merge_databases`, which picks a path below.
- :mod:`.sqlite`: set-based, through ``ATTACH``; :mod:`.portable`: through SQLAlchemy Core.
- :mod:`.report`: what a merge reports, and the digests both paths compare rows by.
- :mod:`.sources`: what ``curator merge`` takes: files, URLs, JSONL exports.
"""
