"""conftest.py — runs the black-box API tests against a dynastream that the session starts, or
against any endpoint given with --url (DynamoDB Local, AWS).

What it does: picks a free loopback port, starts build/asan/dynastream (else build/dynastream;
DYNASTREAM_BIN overrides) with --in-memory, polls until it answers, hands tests a boto3 client, and
stops it with SIGTERM at the end, failing loudly if it exited non-zero or a sanitizer wrote a report.
After every test it checks that the server is still alive and that the test produced no sanitizer
report, so the test that crashed the server is the one that fails.
What it doesn't: build the server (make api does), or retry anything.

Markers (see pytest_runtest_setup):
  server_only(reason)    needs our process (restart, body cap); skipped with --url
  local_differs(reason)  DynamoDB Local is known to differ from DynamoDB here; skipped against it
  emulator_only(reason)  an emulator behaviour real AWS does not have; skipped against *.amazonaws.com
"""
import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

pytest.register_assert_rewrite("util")
import util  # noqa: E402  (after the rewrite registration, so its asserts explain themselves)

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0   # seconds until the server must answer (ASan start-up is well under 1 s)
STOP_TIMEOUT = 15.0    # seconds for a clean exit after SIGTERM (leak checking included)
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def pytest_addoption(parser):
    parser.addoption("--url", action="store", default=None,
                     help="run against an existing endpoint (e.g. http://127.0.0.1:8001 for "
                          "DynamoDB Local) instead of starting dynastream")


def pytest_configure(config):
    for line in ("server_only(reason): needs the dynastream process; skipped with --url",
                 "local_differs(reason): DynamoDB Local differs from DynamoDB; skipped against it",
                 "emulator_only(reason): not true of real AWS; skipped against amazonaws.com"):
        config.addinivalue_line("markers", line)


# ---------------------------------------------------------------------------------------------
# Server processes
# ---------------------------------------------------------------------------------------------

def server_binary():
    """The binary under test: $DYNASTREAM_BIN, else the sanitizer build, else the release build."""
    if os.environ.get("DYNASTREAM_BIN"):
        return Path(os.environ["DYNASTREAM_BIN"])
    for candidate in (REPO / "build/asan/dynastream", REPO / "build/dynastream"):
        if candidate.exists():
            return candidate
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url):
    """True when something accepts a connection and answers HTTP at url (any status)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


class ServerStartError(Exception):
    """The server binary is missing, exited at start-up, or never answered."""


class ServerProcess:
    """One dynastream process with its output in a log file; start() returns when it answers."""

    def __init__(self, args, log_path):
        self.args = list(args)
        self.log_path = Path(log_path)
        self.proc = None
        self.url = None
        self.log_offset = 0   # how much of the log earlier checks have already looked at

    def start(self):
        """Starts the process and polls until it answers; raises ServerStartError otherwise."""
        binary = server_binary()
        if binary is None:
            raise ServerStartError("no dynastream binary: run `make api` (or set DYNASTREAM_BIN, or use --url)")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        for attempt in range(3):   # a port picked free can be taken before the server binds it
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            try:
                with open(self.log_path, "ab") as log:
                    self.proc = subprocess.Popen(
                        [str(binary), "--port", str(port), "--host", "127.0.0.1", *self.args],
                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
            except OSError as e:
                raise ServerStartError(f"cannot run {binary}: {e}") from e
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline:
                if answers(self.url):
                    self.new_log()   # start-up output is nobody's test's (problems() still sees it)
                    return self
                if self.proc.poll() is not None:
                    break
                time.sleep(0.02)   # polling interval, bounded by the deadline above
            if self.proc.poll() is None:
                self.kill()
                raise ServerStartError(f"dynastream did not answer within {START_TIMEOUT} s:\n{self.log()}")
            if "in use" not in self.new_log().lower():
                break
        raise ServerStartError(f"dynastream exited at start-up with {self.proc.returncode}:\n{self.log()}")

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def new_log(self):
        """The log written since the previous call."""
        text = self.log()
        new, self.log_offset = text[self.log_offset:], len(text)
        return new

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM and wait; returns the exit status (SIGKILL and -9 if it hangs)."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            return -9

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def problems(self, rc):
        """Why this process's run was not clean ('' if it was): exit status, sanitizer output."""
        text = self.log()
        why = []
        if rc not in (0, None):
            why.append(f"exit status {rc}")
        why += [f"'{m}' in its output" for m in SANITIZER_MARKS if m in text]
        return "; ".join(why)


class _State:
    server = None        # the session's ServerProcess (None with --url)
    crashed_by = None    # node id of the test during which the session server died


STATE = _State()


# ---------------------------------------------------------------------------------------------
# Session fixtures: endpoint, dialect, client
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def url(request, tmp_path_factory):
    """The endpoint under test; starts (and finally stops) dynastream unless --url is given."""
    given = request.config.getoption("url")
    if given:
        util.DIALECT = detect_dialect(given)
        yield given.rstrip("/")
        return
    util.DIALECT = "dynastream"
    log = tmp_path_factory.mktemp("server") / "dynastream.log"
    try:
        STATE.server = ServerProcess(["--in-memory"], log).start()
    except ServerStartError as e:
        pytest.exit(str(e), 2)
    yield STATE.server.url
    rc = STATE.server.stop()
    why = STATE.server.problems(rc)
    if why:
        print(f"\n===== dynastream output ({log}) =====\n{STATE.server.log()}")
        pytest.fail(f"dynastream did not shut down cleanly: {why} (output above, log {log})")


def detect_dialect(endpoint):
    """'aws', 'dynamodb-local' (it answers as Jetty) or 'dynastream'."""
    if "amazonaws.com" in endpoint:
        return "aws"
    status, headers, body, raw = util.raw_request(endpoint)
    return "dynamodb-local" if "jetty" in headers.get("server", "").lower() else "dynastream"


@pytest.fixture(scope="session")
def is_local(url):
    """True when the endpoint is Amazon's DynamoDB Local."""
    return util.DIALECT == "dynamodb-local"


@pytest.fixture(scope="session")
def dynamodb(url):
    """A boto3 DynamoDB client: no parameter validation, no retries, so the server sees what we send."""
    return util.client_for(url)


def pytest_runtest_setup(item):
    url_given = item.config.getoption("url")
    for mark in item.iter_markers("server_only"):
        if url_given:
            pytest.skip(f"needs the dynastream process: {mark.args[0] if mark.args else ''}")
    if not url_given:
        return
    dialect = detect_dialect_cached(item.config, url_given)
    for mark in item.iter_markers("local_differs"):
        if dialect == "dynamodb-local":
            pytest.skip(f"DynamoDB Local differs: {mark.args[0] if mark.args else ''}")
    for mark in item.iter_markers("emulator_only"):
        if dialect == "aws":
            pytest.skip(f"not true of real DynamoDB: {mark.args[0] if mark.args else ''}")


def detect_dialect_cached(config, endpoint):
    if not hasattr(config, "_dynastream_dialect"):
        config._dynastream_dialect = detect_dialect(endpoint)
    return config._dynastream_dialect


@pytest.fixture(autouse=True)
def _server_watch(request):
    """Fails the test during which the session server died or printed a sanitizer report; the tests
    after a crash are skipped with the name of the test that crashed it."""
    server = STATE.server
    uses_server = "url" in request.fixturenames
    if server is not None and uses_server and STATE.crashed_by:
        pytest.skip(f"dynastream is down: it died during {STATE.crashed_by}")
    yield
    if server is None or not uses_server:
        return
    new = server.new_log()
    if not server.alive():
        STATE.crashed_by = request.node.nodeid
        pytest.fail(f"dynastream died during this test (exit {server.proc.returncode}); its "
                    f"output:\n{server.log()[-20000:]}")
    for mark in SANITIZER_MARKS:
        if mark in new:
            pytest.fail(f"sanitizer report during this test:\n{new[-20000:]}")


@pytest.fixture
def server_factory(tmp_path):
    """Starts extra dynastream processes (e.g. on a --db-path); kills leftovers at the end."""
    started = []

    def start(*args, log_name="dynastream.log"):
        proc = ServerProcess(args, tmp_path / log_name).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.kill()


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

def _shared_table(dynamodb, keys):
    name = util.create_table(dynamodb, util.unique_name("shared"), keys)
    yield name
    util.delete_table(dynamodb, name)


@pytest.fixture(scope="session")
def table_s(dynamodb):
    """Shared table: hash key pk (S)."""
    yield from _shared_table(dynamodb, [("pk", "S")])


@pytest.fixture(scope="session")
def table_n(dynamodb):
    """Shared table: hash key pk (N)."""
    yield from _shared_table(dynamodb, [("pk", "N")])


@pytest.fixture(scope="session")
def table_b(dynamodb):
    """Shared table: hash key pk (B)."""
    yield from _shared_table(dynamodb, [("pk", "B")])


@pytest.fixture(scope="session")
def table_sn(dynamodb):
    """Shared table: hash key pk (S), range key sk (N)."""
    yield from _shared_table(dynamodb, [("pk", "S"), ("sk", "N")])


@pytest.fixture(scope="session")
def table_ss(dynamodb):
    """Shared table: hash key pk (S), range key sk (S)."""
    yield from _shared_table(dynamodb, [("pk", "S"), ("sk", "S")])


@pytest.fixture
def new_table(dynamodb):
    """Factory for tables of the test's own: new_table([("pk", "S")], **CreateTable params)
    returns a unique name; the tables are deleted after the test."""
    made = []

    def make(keys=(("pk", "S"),), **params):
        name = params.pop("TableName", None) or util.unique_name()
        made.append(name)
        return util.create_table(dynamodb, name, list(keys), **params)

    yield make
    for name in made:
        util.delete_table(dynamodb, name)
