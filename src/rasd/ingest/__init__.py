"""Input readers: files, folders and stdin in every format Arabic news arrives in, turned into Documents.

`iter_documents` is the entry point; it yields a `Document` per article and an `IngestFailure` for every
input it could not read, so one bad file never stops a run.
"""

from rasd.ingest.boilerplate import find_boilerplate
from rasd.ingest.encodings import DecodeError, decode_bytes
from rasd.ingest.readers import IngestFailure, iter_documents

__all__ = ["DecodeError", "IngestFailure", "decode_bytes", "find_boilerplate", "iter_documents"]
