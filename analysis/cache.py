"""A per-article cache of extraction results, kept on disk between runs.

What invalidates what:

- An article's **key** (`article_key`) covers the article file's bytes, its manifest row and
  the correction lines that touch it, plus the fingerprint. Editing one article, its manifest
  row or its corrections gives that article a new key; every other article's entry stays valid.
- The **fingerprint** (`fingerprint`) covers every file in the vocabulary/topic folders, every
  `*.py` of the package (the rule code, this module included) and the package version. Any
  change there changes every key, so the whole cache misses; the old entries become orphans
  that `ArticleCache.prune` removes.
- Each entry file also carries the **format version** of this module's file layout and the
  fingerprint it was written under. An entry of another format version, or whose fingerprint
  disagrees with the cache's (a wiring mistake or a copied file: the key already covers the
  fingerprint), is reported, deleted and treated as a miss, as is any corrupt entry.

Not covered: the Python version and third-party libraries (pandas, dateutil...). Clear the
cache folder after upgrading them.

Entries are pickles, and unpickling runs code: the checksum catches accidents (truncation,
bit rot), not an attacker. Only use a cache folder that no untrusted user can write to.
Needs a POSIX system (directory file descriptors and O_NOFOLLOW).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import itertools
import json
import os
import pickle
import re
import secrets
import stat
import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The [project] name in pyproject.toml (the brief's "news-claims" is not installed anywhere).
DISTRIBUTION = "analysis"

MAGIC = b"NCCACHE\n"
FORMAT_VERSION = 1
PICKLE_PROTOCOL = 5
# magic, format version, fingerprint length; then the fingerprint; then payload length, sha256.
_HEAD = struct.Struct(">8sHH")
_TAIL = struct.Struct(">Q32s")

_KEY = re.compile(r"[0-9a-f]{64}")
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"(?P<key>[0-9a-f]{64})\.pickle")

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# O_NOFOLLOW everywhere: a symlink planted in the cache folder must never redirect a read or
# a write. O_NONBLOCK so that opening a FIFO planted under an entry's name cannot hang a run.
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC


# --- fingerprint and keys -------------------------------------------------------------------


def _feed(digest: "hashlib._Hash", *fields: bytes) -> None:
    """Add fields to a digest, each prefixed by its length, so that no two different field
    sequences feed the same bytes ("ab" + "c" must differ from "a" + "bc")."""
    for field in fields:
        digest.update(len(field).to_bytes(8, "big"))
        digest.update(field)


def _tree_files(root: Path, python_only: bool) -> list[tuple[str, Path]]:
    """(relative posix name, path) of the files under root, sorted by name, without
    __pycache__ folders and *.pyc files (bytecode follows the sources it was compiled from).

    Symlinked folders inside root are not descended into (os.walk's default), so that a link
    cycle cannot hang the walk."""
    if not root.is_dir():
        raise NotADirectoryError(f"not a folder: {root}")
    found = []
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith(".pyc") or (python_only and not name.endswith(".py")):
                continue
            path = Path(here, name)
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _package_version() -> str:
    """The installed distribution's version, or "0" when the package runs from a bare checkout."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "0"


def fingerprint(folders: Iterable[Path], code_dir: Path = PACKAGE_DIR) -> str:
    """sha256 hex digest of everything that shapes extraction besides the article itself: the
    names and bytes of every file in each vocabulary/topic folder (in the order given), every
    `*.py` under code_dir and the package version. Raises NotADirectoryError for a folder that
    does not exist, rather than fingerprinting it as empty."""
    digest = hashlib.sha256(b"news-claims article cache fingerprint v1")
    for folder in folders:
        _feed(digest, b"folder")
        for name, path in _tree_files(Path(folder), python_only=False):
            _feed(digest, b"file", name.encode(), path.read_bytes())
    _feed(digest, b"code")
    for name, path in _tree_files(Path(code_dir), python_only=True):
        _feed(digest, b"file", name.encode(), path.read_bytes())
    _feed(digest, b"version", _package_version().encode())
    return digest.hexdigest()


def _canonical_row(manifest_row: Mapping[str, str] | None) -> bytes:
    """A manifest row as JSON of its sorted items; None ("no row") encodes apart from {}."""
    items = None if manifest_row is None else [[k, v] for k, v in sorted(manifest_row.items())]
    return json.dumps(items, ensure_ascii=False).encode()


def article_key(
    file_bytes: bytes,
    manifest_row: Mapping[str, str] | None,
    corrections: Sequence[str],
    fingerprint: str,
) -> str:
    """sha256 hex digest naming one article's extraction result: the article file's bytes, its
    manifest row, the correction lines that touch it (order kept: later lines win) and the
    fingerprint of vocabulary and code."""
    # A lone string is a Sequence[str] too; taking its characters as lines would be a silent bug.
    if isinstance(corrections, (str, bytes)):
        raise TypeError("corrections must be a sequence of lines, not a single string")
    digest = hashlib.sha256(b"news-claims article key v1")
    _feed(
        digest,
        bytes(file_bytes),
        _canonical_row(manifest_row),
        json.dumps(list(corrections), ensure_ascii=False).encode(),
        fingerprint.encode(),
    )
    return digest.hexdigest()


# --- entry file format (pure) ---------------------------------------------------------------


class CorruptEntry(Exception):
    """An entry file that cannot be used; the message says why."""


def encode_entry(payload: bytes, fingerprint: str) -> bytes:
    """The bytes of an entry file: header (magic, format version, fingerprint, payload length,
    payload sha256) followed by the payload."""
    fp = fingerprint.encode()
    head = _HEAD.pack(MAGIC, FORMAT_VERSION, len(fp)) + fp
    return head + _TAIL.pack(len(payload), hashlib.sha256(payload).digest()) + payload


def decode_entry(blob: bytes, fingerprint: str) -> bytes:
    """The payload of an entry file written by encode_entry under this fingerprint; raises
    CorruptEntry naming the first problem found. The format version is checked before anything
    after it, since another version may lay the rest out differently."""
    if len(blob) < _HEAD.size:
        raise CorruptEntry(f"truncated header ({len(blob)} bytes)")
    magic, version, fp_len = _HEAD.unpack_from(blob)
    if magic != MAGIC:
        raise CorruptEntry("not a cache entry (bad magic bytes)")
    if version != FORMAT_VERSION:
        raise CorruptEntry(f"format version {version}, this code reads {FORMAT_VERSION}")
    tail_at = _HEAD.size + fp_len
    if len(blob) < tail_at + _TAIL.size:
        raise CorruptEntry(f"truncated header ({len(blob)} bytes)")
    if blob[_HEAD.size : tail_at] != fingerprint.encode():
        raise CorruptEntry("written under another fingerprint (vocabulary or code changed)")
    length, checksum = _TAIL.unpack_from(blob, tail_at)
    payload = blob[tail_at + _TAIL.size :]
    if len(payload) != length:
        raise CorruptEntry(f"payload is {len(payload)} bytes, header says {length} (truncated?)")
    if hashlib.sha256(payload).digest() != checksum:
        raise CorruptEntry("checksum mismatch")
    return payload


def _unpickle(payload: bytes) -> object:
    """The value pickled in payload; raises CorruptEntry if it cannot be loaded."""
    try:
        return pickle.loads(payload)
    # A checksummed payload that still fails to load (a class renamed or removed since) can
    # raise nearly anything: AttributeError, ModuleNotFoundError, EOFError, UnpicklingError...
    except Exception as exc:  # noqa: BLE001
        raise CorruptEntry(f"cannot unpickle ({type(exc).__name__}: {exc})") from exc


def _check_key(key: str) -> None:
    """Refuse anything but a 64-hex-digit key, so that a key can never name a path outside."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"not a cache key (64 lowercase hex digits): {key!r}")


def _entry_name(key: str) -> str:
    return f"{key}.pickle"


# --- the cache ------------------------------------------------------------------------------


class ArticleCache:
    """Extraction results on disk, one file per key: folder/<key[:2]>/<key>.pickle.

    A cache is never worth failing a run for: every problem (corrupt entry, symlink, write
    error) is one line in `warnings` and a miss. Only a malformed key raises (ValueError),
    since that is a programming error."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        if len(fingerprint.encode()) > 0xFFFF:
            raise ValueError("fingerprint too long for the entry header")
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.warnings: list[str] = []

    def path(self, key: str) -> Path:
        """Where the entry for key lives (it may not exist)."""
        _check_key(key)
        return self.folder / key[:2] / _entry_name(key)

    def get(self, key: str) -> object | None:
        """The value stored under key, or None: a missing entry is a silent miss; an unusable
        one (corrupt, another format version or fingerprint) is a miss, one warning, and is
        deleted; a symlink or other non-regular file is a miss and a warning, left alone."""
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        """The values stored under these keys, as `get` finds each (the keys it misses are not
        in the result), each shard folder opened once: a warm run of 10,000 articles reads
        10,000 entries, and opening the two folders around each one cost as much as the reads."""
        wanted = sorted(set(keys))
        for key in wanted:
            _check_key(key)
        found: dict[str, object] = {}
        root = self._open_dir(self.folder, None, create=False) if wanted else None
        if root is None:
            return found
        try:
            for shard_name, group in itertools.groupby(wanted, key=lambda key: key[:2]):
                shard = self._open_dir(shard_name, root, create=False)
                if shard is None:
                    continue
                try:
                    for key in group:
                        value = self._read(shard, key)
                        if value is not None:
                            found[key] = value
                finally:
                    os.close(shard)
        finally:
            os.close(root)
        return found

    def _read(self, shard: int, key: str) -> object | None:
        """One entry of an open shard folder (see `get`)."""
        try:
            fd = os.open(_entry_name(key), _READ_FLAGS, dir_fd=shard)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._warn(self.path(key), _open_problem(_entry_name(key), shard, exc))
            return None
        with os.fdopen(fd, "rb") as file:
            seen = os.fstat(file.fileno())
            if not stat.S_ISREG(seen.st_mode):
                self._warn(self.path(key), "not a regular file; not read")
                return None
            blob = file.read()
        try:
            return _unpickle(decode_entry(blob, self.fingerprint))
        except CorruptEntry as exc:
            self._warn(self.path(key), f"{exc}; {_remove_if_same(shard, _entry_name(key), seen)}")
            return None

    def put(self, key: str, value: object) -> None:
        """Store value under key. Readers see the old entry or the new one, never a part: the
        bytes go to a temporary file in the same folder, then os.replace renames it over."""
        path = self.path(key)
        # Pickle first: an unpicklable value is the caller's bug and should raise, untouched disk.
        blob = encode_entry(pickle.dumps(value, protocol=PICKLE_PROTOCOL), self.fingerprint)
        try:
            with self._shard(key, create=True) as shard:
                if shard is not None:
                    _write_atomically(shard, _entry_name(key), blob)
        except OSError as exc:
            self._warn(path, f"not written ({exc.strerror or exc})")

    def prune(self, keep: Set[str]) -> int:
        """Delete the entries whose key is not in keep; return how many. Only regular files named
        like entries, in the shard folder their name belongs to, are touched: anything else in
        the folder (notes, temporary files of a put under way, symlinks) is left alone."""
        root = self._open_dir(self.folder, None, create=False)
        if root is None:
            return 0
        removed = 0
        try:
            for name in sorted(os.listdir(root)):
                if not _SHARD.fullmatch(name):
                    continue
                shard = self._open_dir(name, root, create=False)
                if shard is not None:
                    try:
                        removed += _prune_shard(shard, name, keep)
                    finally:
                        os.close(shard)
        finally:
            os.close(root)
        return removed

    # All file access goes through directory descriptors opened with O_NOFOLLOW, so a folder
    # swapped for a symlink between a check and a use cannot redirect anything.

    @contextlib.contextmanager
    def _shard(self, key: str, create: bool) -> Iterator[int | None]:
        """A descriptor of key's shard folder, or None (missing, or refused with a warning)."""
        with contextlib.ExitStack() as stack:
            shard = None
            if create:
                self.folder.parent.mkdir(parents=True, exist_ok=True)
            root = self._open_dir(self.folder, None, create)
            if root is not None:
                stack.callback(os.close, root)
                shard = self._open_dir(key[:2], root, create)
                if shard is not None:
                    stack.callback(os.close, shard)
            yield shard

    def _open_dir(self, name: str | Path, parent: int | None, create: bool) -> int | None:
        """Open a folder (name inside parent's descriptor, or a path), creating it if asked;
        None when it does not exist, or, with a warning, when it is a symlink or not a folder."""
        if create:
            with contextlib.suppress(FileExistsError):  # made by another process, or a non-folder
                os.mkdir(name, dir_fd=parent)
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            return None
        except OSError as exc:
            shown = self.folder if parent is None else self.folder / name
            self._warn(shown, _open_problem(name, parent, exc))
            return None

    def _warn(self, path: Path, problem: str) -> None:
        self.warnings.append(f"article cache: {path}: {problem}")


def _open_problem(name: str | Path, parent: int | None, exc: OSError) -> str:
    """Why opening name failed, in words; a symlink is named as such (Linux reports ENOTDIR or
    ELOOP for it, depending on the flags)."""
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode):
            return "is a symlink; not followed"
    return f"cannot open ({exc.strerror or exc})"


def _remove_if_same(shard: int, name: str, seen: os.stat_result) -> str:
    """Delete name if it is still the file that was read (another process may have replaced it
    with a good entry meanwhile); say what happened."""
    try:
        now = os.stat(name, dir_fd=shard, follow_symlinks=False)
        if (now.st_dev, now.st_ino) != (seen.st_dev, seen.st_ino):
            return "replaced meanwhile, left in place"
        os.unlink(name, dir_fd=shard)
    except FileNotFoundError:
        return "already removed"
    except OSError as exc:
        return f"could not remove it ({exc.strerror or exc})"
    return "removed"


def _write_atomically(folder: int, name: str, blob: bytes) -> None:
    """Write blob to name inside the folder descriptor via a temporary file and a rename.

    No fsync: a file cut short by a crash fails its checksum on the next get and is dropped,
    which costs one re-extraction and saves a disk flush per article."""
    temp = f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(temp, _CREATE_FLAGS, 0o666, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(blob)
        # Replaces a symlink planted under name itself; never writes through it.
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise


def _prune_shard(shard: int, shard_name: str, keep: Set[str]) -> int:
    """Delete the regular entry files in one shard folder whose key is not in keep."""
    removed = 0
    for name in os.listdir(shard):
        match = _ENTRY.fullmatch(name)
        if not match or match["key"][:2] != shard_name or match["key"] in keep:
            continue
        with contextlib.suppress(FileNotFoundError):  # pruned by another process meanwhile
            if stat.S_ISREG(os.stat(name, dir_fd=shard, follow_symlinks=False).st_mode):
                os.unlink(name, dir_fd=shard)
                removed += 1
    return removed


class StagedCache:
    """The cache of a run written into a staging folder (analysis.runfolder.staged_output):
    entries are read from the run being replaced (`previous`, OUT/.cache) and written only into
    the staged run's cache (`staged`), so an interrupted run leaves OUT as it was. `prune(keep)`
    moves the entries this run used from the previous cache into the staged one; the swap then
    drops the previous cache with the previous run. Entries are carried as hard links, so the
    previous cache stays whole until the swap. Same interface as ArticleCache."""

    def __init__(self, previous: ArticleCache, staged: ArticleCache) -> None:
        if previous.fingerprint != staged.fingerprint:
            raise ValueError("the previous and the staged cache must share one fingerprint")
        self.previous = previous
        self.staged = staged
        self.fingerprint = staged.fingerprint
        self.folder = previous.folder  # where the entries will be once the run is swapped in
        self._from_previous: set[str] = set()

    @property
    def warnings(self) -> list[str]:
        return self.previous.warnings + self.staged.warnings

    def get(self, key: str) -> object | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        wanted = set(keys)
        found = self.staged.get_many(wanted)
        earlier = self.previous.get_many(wanted - found.keys())
        self._from_previous.update(earlier)
        found.update(earlier)
        return found

    def put(self, key: str, value: object) -> None:
        self.staged.put(key, value)

    def prune(self, keep: Set[str]) -> int:
        """Carry the kept entries read from the previous cache into the staged one (a hard link,
        so an interrupted run leaves the previous one whole; rewritten when linking fails);
        returns how many were carried. Each pair of shard folders is opened once."""
        carried = 0
        rewrite: list[str] = []
        chosen = sorted(self._from_previous & set(keep))
        source_root = self.previous._open_dir(self.previous.folder, None, create=False) if chosen else None
        if source_root is None:
            rewrite = chosen
        else:
            try:
                for shard_name, group in itertools.groupby(chosen, key=lambda key: key[:2]):
                    names = list(group)
                    carried_here = self._link_shard(source_root, shard_name, names)
                    carried += len(carried_here)
                    rewrite.extend(key for key in names if key not in carried_here)
            finally:
                os.close(source_root)
        for key in rewrite:
            value = self.previous.get(key)
            if value is not None:
                self.staged.put(key, value)
                carried += 1
        return carried

    def _link_shard(self, source_root: int, shard_name: str, keys: list[str]) -> set[str]:
        """Hard-link these keys' entries from the previous cache's shard folder into the staged
        one's; the keys linked (a symlink, a name already taken or any error: not linked)."""
        linked: set[str] = set()
        with self.staged._shard(keys[0], create=True) as target, contextlib.ExitStack() as stack:
            source = self.previous._open_dir(shard_name, source_root, create=False)
            if source is not None:
                stack.callback(os.close, source)
            if source is None or target is None:
                return linked
            for key in keys:
                name = _entry_name(key)
                try:
                    if stat.S_ISREG(os.stat(name, dir_fd=source, follow_symlinks=False).st_mode):
                        os.link(name, name, src_dir_fd=source, dst_dir_fd=target, follow_symlinks=False)
                        linked.add(key)
                except OSError:
                    pass
        return linked
