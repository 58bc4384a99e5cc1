"""A spaCy ``DocBin`` written to its file as documents come, instead of held to the end.

``DocBin.to_bytes`` keeps every document's token arrays, span groups and user
data in lists, stacks them, packs them with msgpack and compresses the
result: three copies of the whole export in memory at the end (1.5 GB for
200,000 spans). Here each document's arrays and packed pieces go to
temporary files as it is added, and the file is written from them through a
streaming ``zlib`` compressor, so memory holds one document and the set of
distinct strings (which the format lists once, sorted, and so needs whole).

The bytes decode to the same message ``DocBin.to_bytes`` would make (the same
keys and values; msgpack may size a header differently), so
``DocBin().from_bytes`` and ``from_disk`` read the file as their own.
"""

from __future__ import annotations

import contextlib
import struct
import tempfile
import zlib
from typing import IO, Any

_CHUNK = 1 << 20


def _key(name: str) -> bytes:
    raw = name.encode("utf-8")
    assert len(raw) < 32
    return bytes([0xA0 | len(raw)]) + raw


def _bin_header(size: int) -> bytes:
    return b"\xc6" + struct.pack(">I", size)


def _array_header(count: int) -> bytes:
    return b"\xdd" + struct.pack(">I", count)


class StreamingDocBin:
    """What ``DocBin(store_user_data=True)`` holds, with the bulk of it spilled to disk."""

    def __init__(self) -> None:
        from spacy.tokens import DocBin

        self._bin = DocBin(store_user_data=True)  # its attrs, strings and per-doc encoding
        self._files = contextlib.ExitStack()
        # Open as long as the object is: close() (or the export's finally) ends them.
        spills = [tempfile.TemporaryFile() for _ in range(4)]  # noqa: SIM115
        for spill in spills:
            self._files.enter_context(spill)
        self._tokens, self._spaces, self._groups, self._user = spills
        self._sizes = [0, 0]  # bytes of tokens and spaces written
        self.lengths: list[int] = []

    def add(self, doc: Any) -> None:
        """Encode *doc* as ``DocBin.add`` does, then move its pieces out of memory."""
        import srsly  # type: ignore[import-untyped]

        held = self._bin
        held.add(doc)
        tokens, spaces = held.tokens.pop(), held.spaces.pop()
        assert len(tokens.shape) == 2, tokens.shape
        self.lengths.append(len(tokens))
        for sink, array, i in ((self._tokens, tokens, 0), (self._spaces, spaces, 1)):
            data = array.tobytes("C")
            sink.write(data)
            self._sizes[i] += len(data)
        self._groups.write(srsly.msgpack_dumps(held.span_groups.pop()))
        self._user.write(srsly.msgpack_dumps(held.user_data.pop()))

    def write(self, out: IO[bytes]) -> None:
        """The compressed message, as ``DocBin.to_bytes`` returns it, streamed into *out*."""
        import numpy
        import srsly

        held = self._bin
        packer = zlib.compressobj()
        parts: list[tuple[str, bytes | tuple[bytes, IO[bytes]]]] = [
            ("version", srsly.msgpack_dumps(held.version)),
            ("attrs", srsly.msgpack_dumps(held.attrs)),
            ("tokens", (_bin_header(self._sizes[0]), self._tokens)),
            ("spaces", (_bin_header(self._sizes[1]), self._spaces)),
            (
                "lengths",
                srsly.msgpack_dumps(numpy.asarray(self.lengths, dtype="int32").tobytes("C")),
            ),
            ("strings", srsly.msgpack_dumps(sorted(held.strings))),
            ("cats", srsly.msgpack_dumps(held.cats)),
            ("flags", srsly.msgpack_dumps(held.flags)),
            ("span_groups", (_array_header(len(self.lengths)), self._groups)),
            ("user_data", (_array_header(len(self.lengths)), self._user)),
        ]
        out.write(packer.compress(bytes([0x80 | len(parts)])))
        for name, value in parts:
            out.write(packer.compress(_key(name)))
            if isinstance(value, bytes):
                out.write(packer.compress(value))
                continue
            header, spill = value
            out.write(packer.compress(header))
            spill.seek(0)
            while chunk := spill.read(_CHUNK):
                out.write(packer.compress(chunk))
        out.write(packer.flush())

    def close(self) -> None:
        """Remove the temporary files (the system does too, should the process die)."""
        self._files.close()
