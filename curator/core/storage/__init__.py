"""Where curated work is kept, and nothing else.

- :mod:`.db`: engines and units of work (SQLite or PostgreSQL), error translation.
- :mod:`.models`: the tables; :mod:`.records`: immutable views of their rows.
- :mod:`.concepts`: what a span's concepts column holds (CURIEs and names).
- :mod:`.fragments`: what its fragments column holds (the pieces of a mention in several).
- :mod:`.curators`: names and the curator rows behind them.
- :mod:`.migrate`: schema upgrades, with a backup first; :mod:`.health`: ``db check``.
- :mod:`.paths`, :mod:`.database_path`: where the app's and the user's files are.
- :mod:`.retry`: running a transaction again after a clash on a server.

Everything above this package may import it; it imports none of them.
"""
