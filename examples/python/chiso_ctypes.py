"""A small ctypes binding of libchiso: the streaming Decision 766 scorer and the one-call functions.

The library is found through the CHISO_LIB environment variable (a path to libchiso.so), else in
the repository's target/debug or target/release, else where the dynamic loader looks.
"""

import ctypes
import ctypes.util
import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def _load():
    candidates = [os.environ.get("CHISO_LIB")]
    target = Path(os.environ.get("CARGO_TARGET_DIR", _ROOT / "target"))
    candidates += [str(target / "debug" / "libchiso.so"), str(target / "release" / "libchiso.so")]
    candidates.append(ctypes.util.find_library("chiso"))
    for path in candidates:
        if path and (os.path.exists(path) or not os.path.isabs(path)):
            try:
                return ctypes.CDLL(path)
            except OSError:
                continue
    raise OSError("libchiso.so not found: build it (cargo build -p chiso-c) or set CHISO_LIB")


class _Bytes(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


_lib = _load()
_status = ctypes.c_int
_text = ctypes.c_char_p
_size = ctypes.c_size_t
_error_out = ctypes.POINTER(ctypes.c_void_p)

_lib.chiso_version.restype = ctypes.c_char_p
_lib.chiso_status_name.argtypes = [ctypes.c_int]
_lib.chiso_status_name.restype = ctypes.c_char_p
_lib.chiso_error_status.argtypes = [ctypes.c_void_p]
_lib.chiso_error_status.restype = _status
_lib.chiso_error_message.argtypes = [ctypes.c_void_p, ctypes.c_char_p, _size, ctypes.POINTER(_size)]
_lib.chiso_error_message.restype = _status
_lib.chiso_error_free.argtypes = [ctypes.c_void_p]
_lib.chiso_bytes_free.argtypes = [ctypes.POINTER(_Bytes)]
_lib.chiso_evaluate_json.argtypes = [_text, _size] * 4 + [ctypes.POINTER(_Bytes), _error_out]
_lib.chiso_evaluate_json.restype = _status
_lib.chiso_score766_counts_json.argtypes = [_text, _size, _text, _size, ctypes.POINTER(_Bytes), _error_out]
_lib.chiso_score766_counts_json.restype = _status
_lib.chiso_scorer_new.argtypes = [_text, _size, _text, _size, ctypes.POINTER(ctypes.c_void_p), _error_out]
_lib.chiso_scorer_new.restype = _status
for _name in ("load_units_csv", "load_procedures_csv", "load_feedback_csv", "load_counts_json", "push_csv"):
    _fn = getattr(_lib, "chiso_scorer_" + _name)
    _fn.argtypes = [ctypes.c_void_p, _text, _size, _error_out]
    _fn.restype = _status
_lib.chiso_scorer_merge.argtypes = [ctypes.c_void_p, ctypes.c_void_p, _error_out]
_lib.chiso_scorer_merge.restype = _status
_lib.chiso_scorer_finish.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Bytes), _error_out]
_lib.chiso_scorer_finish.restype = _status
_lib.chiso_scorer_free.argtypes = [ctypes.c_void_p]


class ChisoError(Exception):
    """A failed call: `status` is the stable name of its chiso_status (`bad_json`, `misuse`, ...)."""

    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


def version():
    """The version of the loaded library."""
    return _lib.chiso_version().decode()


def _call(fn, *args):
    """Calls a fallible function with an error out-parameter; raises ChisoError on failure."""
    error = ctypes.c_void_p()
    status = fn(*args, ctypes.byref(error))
    if status != 0:
        name = _lib.chiso_status_name(status).decode()
        message = ""
        if error:
            size = _size()
            _lib.chiso_error_message(error, None, 0, ctypes.byref(size))
            buf = ctypes.create_string_buffer(size.value + 1)
            _lib.chiso_error_message(error, buf, len(buf), None)
            message = buf.value.decode()
            _lib.chiso_error_free(error)
        raise ChisoError(name, message)


def _take(out):
    """The text of library-owned bytes, which are then freed."""
    try:
        return ctypes.string_at(out.data, out.len).decode()
    finally:
        _lib.chiso_bytes_free(ctypes.byref(out))


def _arg(text):
    """(pointer, length) of a str or bytes argument; (None, 0) for None."""
    if text is None:
        return None, 0
    data = text.encode() if isinstance(text, str) else bytes(text)
    return data, len(data)


def evaluate_json(observations_csv, as_of, units_csv=None, plan_json=None):
    """The evaluation JSON of observations against a plan (the built-in one by default)."""
    out = _Bytes()
    _call(_lib.chiso_evaluate_json, *_arg(plan_json), *_arg(units_csv), *_arg(observations_csv), *_arg(as_of),
          ctypes.byref(out))
    return _take(out)


def score766_counts_json(counts_json, profile=None):
    """The Decision 766 scorecard JSON of a counts JSON."""
    out = _Bytes()
    _call(_lib.chiso_score766_counts_json, *_arg(counts_json), *_arg(profile), ctypes.byref(out))
    return _take(out)


class Scorer:
    """The streaming Decision 766 scorer (chiso_scorer). Use as a context manager, or call close()."""

    def __init__(self, period, profile=None):
        self._handle = ctypes.c_void_p()
        _call(_lib.chiso_scorer_new, *_arg(profile), *_arg(period), ctypes.byref(self._handle))

    def _do(self, name, data):
        _call(getattr(_lib, "chiso_scorer_" + name), self._handle, *_arg(data))

    def load_units_csv(self, csv):
        self._do("load_units_csv", csv)

    def load_procedures_csv(self, csv):
        self._do("load_procedures_csv", csv)

    def load_feedback_csv(self, csv):
        self._do("load_feedback_csv", csv)

    def load_counts_json(self, json):
        self._do("load_counts_json", json)

    def push_csv(self, chunk):
        """Pushes the next bytes of a dossier CSV stream; chunks may be cut anywhere."""
        self._do("push_csv", chunk)

    def merge(self, other):
        """Merges another scorer of the same period into this one; `other` is spent."""
        _call(_lib.chiso_scorer_merge, self._handle, other._handle)

    def finish(self):
        """The scorecard JSON; the scorer is spent afterwards."""
        out = _Bytes()
        _call(_lib.chiso_scorer_finish, self._handle, ctypes.byref(out))
        return _take(out)

    def close(self):
        _lib.chiso_scorer_free(self._handle)
        self._handle = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
