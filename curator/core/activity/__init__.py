"""How long curators work on each document, and how far along they are.

- :mod:`.active_time`: active annotation time, idle gaps left out, kept per
  document and curator in ``document_status.active_seconds``.
- :mod:`.progress`: documents done and time spent per curator.
"""
