"""One ingest at a time per store: an OS file lock on `<db>.lock` that names its holder.

SQLite alone would interleave two ingests batch by batch and make the slower one wait on the write lock (and
fail after the busy timeout when a batch takes long). Two ingests into one store are almost always a mistake,
so the second is refused at once with a message naming the first one's pid. The lock is `flock`, which the
kernel releases when its holder dies, even by `kill -9`; the file left behind then only names a dead pid and
is taken over (`stale_pid` says by whom it was left). Where `flock` is unavailable (Windows, some network file
systems) the file itself is the lock, and a lock whose pid no longer runs is stale.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
from pathlib import Path
from types import TracebackType

from rasd.store.db import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["IngestLock", "StoreLocked", "lock_path", "pid_alive"]


class StoreLocked(StoreError):
    """Another ingest holds the store; the message names it and says what to do."""

    def __init__(self, message: str, holder: dict[str, object]) -> None:
        super().__init__(message)
        self.holder = holder


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


def pid_alive(pid: int) -> bool:
    """Does a process with this pid exist (on this machine)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by another user
    except OSError:
        return False
    return True


def _read_holder(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pid_of(holder: dict[str, object]) -> int:
    pid = holder.get("pid")
    return pid if isinstance(pid, int) else 0


class IngestLock:
    """`with IngestLock(db):` holds the store's ingest lock, or raises StoreLocked at once."""

    def __init__(self, db_path: str | Path, *, purpose: str = "ingest") -> None:
        self.db_path = str(db_path)
        self.path = lock_path(db_path)
        self.purpose = purpose
        self.stale_pid: int | None = None  # the pid named by a lock its holder left behind (it died)
        self._fd: int | None = None

    def _message(self, holder: dict[str, object]) -> str:
        pid = _pid_of(holder)
        since = holder.get("since") or "an unknown time"
        message = (
            f"store {self.db_path} is being written by another ingest (pid {pid or 'unknown'}, since {since});"
            f" wait for it to finish or stop it, then run again (reading the store meanwhile is fine)."
        )
        if pid and not pid_alive(pid):  # its worker processes inherited the lock and are still exiting
            message += f" Process {pid} has ended; its worker processes still hold the lock for a moment."
        return message + f" Lock file: {self.path}"

    def _record(self) -> bytes:
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return json.dumps({"pid": os.getpid(), "since": since, "purpose": self.purpose}).encode()

    def _open(self, flags: int) -> int:
        try:
            return os.open(self.path, flags, 0o644)
        except FileExistsError:
            raise
        except OSError as e:  # a read-only folder: the store could not be written either
            raise StoreError(f"cannot create the lock file {self.path}: {e.strerror or e}") from e

    def acquire(self) -> IngestLock:
        if fcntl is None:
            return self._acquire_by_file()
        for _ in range(10):  # the file may be replaced between open and flock; then try the new one
            fd = self._open(os.O_RDWR | os.O_CREAT)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    holder = _read_holder(self.path)
                    raise StoreLocked(self._message(holder), holder) from None
                return self._acquire_by_file()  # flock unsupported here (ENOLCK, EOPNOTSUPP ...)
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder released and removed it after we opened it
                os.close(fd)
                continue
            previous = _read_holder(self.path)
            if _pid_of(previous) and _pid_of(previous) != os.getpid():
                self.stale_pid = _pid_of(previous)
            os.ftruncate(fd, 0)
            os.write(fd, self._record())
            self._fd = fd
            return self
        raise StoreLocked(self._message({}), {})  # pragma: no cover - ten races in a row

    def _acquire_by_file(self) -> IngestLock:
        """The lock file is the lock (created exclusively); one naming a dead pid is stale and replaced."""
        for _ in range(2):
            try:
                fd = self._open(os.O_RDWR | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                holder = _read_holder(self.path)
                pid = _pid_of(holder)
                if pid and pid_alive(pid):
                    raise StoreLocked(self._message(holder), holder) from None
                self.stale_pid = pid or None
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            os.write(fd, self._record())
            self._fd = fd
            return self
        holder = _read_holder(self.path)
        raise StoreLocked(self._message(holder), holder)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # removed while still held, so no one can take a lock on a file about to vanish
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> IngestLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
