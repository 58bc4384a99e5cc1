"""Relations: typed links between two spans of one curator's layer.

The short face other parts of the app code against:

- :mod:`.rules`: relation types and the labels their ends may carry.
- :mod:`.store`: adding, deleting, restoring, retyping, noting and reading relations.

A span's deletion tombstones its relations in the same transaction and its
restore brings back exactly those (``curator.core.storage.relation_ends``).
"""

from curator.core.relations.rules import (
    RelationRuleError,
    allowed_types,
    check_ends,
    list_relation_types,
)
from curator.core.relations.store import (
    NewRelation,
    add_relation,
    add_relations_in,
    delete_relation,
    get_relation,
    relation_counts,
    relations_for,
    relations_of_span,
    restore_relation,
    retype_relation,
    set_relation_note,
)
from curator.core.storage.records import RelationRecord, RelationTypeInfo

__all__ = [
    "NewRelation",
    "RelationRecord",
    "RelationRuleError",
    "RelationTypeInfo",
    "add_relation",
    "add_relations_in",
    "allowed_types",
    "check_ends",
    "delete_relation",
    "get_relation",
    "list_relation_types",
    "relation_counts",
    "relations_for",
    "relations_of_span",
    "restore_relation",
    "retype_relation",
    "set_relation_note",
]
