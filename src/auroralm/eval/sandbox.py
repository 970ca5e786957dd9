"""Run untrusted Python programs in a sandbox: ``run_program(source) -> (status, detail)``.

Threat model (details in docs/sandbox.md). Model-written programs are assumed hostile: endless loops,
huge allocations, fork bombs, stray writes or deletes, daemons, network calls, signals to other
processes. Each program gets its own session, a scrubbed environment (PATH, LANG, HOME,
PYTHONHASHSEED), a fresh working directory, stdin from /dev/null, capped output, a wall-clock timeout,
rlimits (CPU, address space, file size, processes, no core dumps), and everything left behind is killed.
With "namespaces" isolation (where the kernel permits unshare) it also gets new mount, PID, network,
IPC and UTS namespaces: all read-only except its directory, no network, no other process visible, and
everything in the namespace dies with its PID 1. As root it runs as ``nobody`` (allowed to read
files); otherwise as the root of its own user namespace, without capabilities. With "process"
isolation (no namespaces) files and network rest on Unix permissions alone. Never contained: kernel
exploits, side channels, reading what the invoking user may read, and load up to the limits.

Each worker is a long-lived ``python -s -S`` process with common modules preloaded that forks one
sandbox per program, so that no program pays an interpreter start.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import resource
import select
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

PASSED, FAILED, TIMED_OUT = "passed", "failed", "timed out"
MEMORY_BYTES, FILE_BYTES, MAX_PROCESSES, OUTPUT_BYTES = 1 << 30, 10 << 20, 64, 64 << 10
NOBODY = 65534
NO_NAMESPACES = 97  # exit code of a sandbox whose namespaces the kernel refused
TIMEOUT_EXIT = 124  # exit code of a sandbox whose program ran out of wall time (as coreutils' timeout)
PROGRAM = "program.py"
STATUS_FD = 3  # where a sandbox's first process writes the program's exit code
# Modules HumanEval/MBPP programs import, loaded once per worker instead of once per program.
PRELOAD = ("typing", "math", "collections", "itertools", "functools", "re", "string", "heapq", "bisect",
           "hashlib", "traceback")

# Linux constants (the same on x86-64 and arm64).
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MOUNT_OPTIONS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": 1024,
                 "nodiratime": 2048, "relatime": 1 << 21, "strictatime": 1 << 24}
PR_SET_PDEATHSIG, PR_SET_KEEPCAPS, PR_CAPBSET_DROP = 1, 8, 24
PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 36, 38
CAP_DAC_READ_SEARCH = 2

# Introspection run by ``isolation()``: what a program inside the sandbox can actually see.
PROBE = """
import json, os, socket
top = {line.split()[4]: line.split()[5].split(",") for line in open("/proc/self/mountinfo")}  # last wins
rw = [mount for mount, options in top.items() if "rw" in options]
print(json.dumps({"uid": os.getuid(), "pid": os.getpid(),
                  "writable_mounts": [m for m in rw if m != os.getcwd()],
                  "interfaces": [name for _, name in socket.if_nameindex()]}))
"""

_isolation: dict | None = None


class Worker:
    """A long-lived sandbox process that runs one program at a time; a context manager."""

    def __init__(self, isolation: str = "auto", memory_bytes: int = MEMORY_BYTES,
                 file_bytes: int = FILE_BYTES, max_processes: int = MAX_PROCESSES,
                 output_bytes: int = OUTPUT_BYTES):
        self.mode = isolation_level() if isolation == "auto" else isolation
        if self.mode not in ("namespaces", "process"):
            raise ValueError(f"isolation must be auto, namespaces or process, not {isolation!r}")
        self.limits = {"memory": memory_bytes, "fsize": file_bytes, "nproc": max_processes,
                       "output": output_bytes, "mode": self.mode}
        self._start()

    def _start(self) -> None:
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/", "PYTHONHASHSEED": "0"}
        self.proc = subprocess.Popen(
            [sys.executable, "-s", "-S", os.path.abspath(__file__), "--serve", str(os.getpid())],
            cwd="/", env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def run(self, source: str, timeout: float = 3.0) -> tuple[str, str, str, str]:
        """``(status, detail, stdout, stderr)`` of one program; output capped."""
        with tempfile.TemporaryDirectory(prefix="auroralm-sandbox-", ignore_cleanup_errors=True) as work:
            with open(os.path.join(work, PROGRAM), "w", encoding="utf-8") as f:
                f.write(source)
            if os.geteuid() == 0:
                os.chown(work, NOBODY, NOBODY)  # the program runs as nobody and may write here
            reply = self._ask({**self.limits, "work": work, "timeout": timeout}, timeout + 10.0)
        if reply is None:  # only a program sharing our uid (process isolation, non-root) can do this
            self.close()
            self._start()
            return FAILED, "the sandbox worker died", "", ""
        status, detail = _judge(reply["code"], reply["timed_out"], reply["stderr"])
        return status, detail, reply["stdout"], reply["stderr"]

    def _ask(self, request: dict, patience: float) -> dict | None:
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
            with selectors.DefaultSelector() as sel:
                sel.register(self.proc.stdout, selectors.EVENT_READ)
                if not sel.select(patience):
                    return None
            line = self.proc.stdout.readline()
        except OSError:
            return None
        return json.loads(line) if line else None

    def close(self) -> None:
        """Stop the worker and anything it left behind."""
        self.proc.stdin.close()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # before reaping it, so that its group id is still ours
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc.stdout.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_program(source: str, timeout: float = 3.0, isolation: str = "auto") -> tuple[str, str]:
    """Run ``source`` sandboxed; ``(status, detail)`` with status passed, failed or timed out."""
    return execute(source, timeout, isolation)[:2]


def execute(source: str, timeout: float = 3.0, isolation: str = "auto", **limits) -> tuple[str, str, str, str]:
    """Like ``run_program``, also returning the captured stdout and stderr (``limits``: see ``Worker``)."""
    with Worker(isolation, **limits) as worker:
        return worker.run(source, timeout)


def run_programs(sources: list[str], timeout: float = 3.0, workers: int = 2, isolation: str = "auto",
                 on_done=None) -> list[tuple[str, str]]:
    """Run many programs on ``workers`` reusable workers; results in input order. ``on_done()`` after each."""
    idle: queue.Queue[Worker] = queue.Queue()

    def run(source: str) -> tuple[str, str]:
        worker = idle.get()
        try:
            return worker.run(source, timeout)[:2]
        finally:
            idle.put(worker)
            if on_done is not None:
                on_done()

    pool: list[Worker] = []
    try:
        for _ in range(workers):  # started here, not in the threads: a worker dies with its creating thread
            pool.append(Worker(isolation))
            idle.put(pool[-1])
        with ThreadPoolExecutor(max_workers=workers) as threads:
            return list(threads.map(run, sources))
    finally:
        for worker in pool:
            worker.close()


def isolation() -> dict:
    """What the sandbox achieves on this machine (probed once): level, user, filesystem, network."""
    global _isolation
    if _isolation is None:
        level = "namespaces"
        status, detail, out, _ = execute(PROBE, 10.0, level)
        if status != PASSED and detail == f"exit code {NO_NAMESPACES}":
            level = "process"
            status, detail, out, _ = execute(PROBE, 10.0, level)
        if status != PASSED:
            raise RuntimeError(f"the sandbox cannot run Python on this machine ({detail})")
        seen = json.loads(out)
        _isolation = {
            "level": level,
            "uid": seen["uid"],  # 65534 (nobody) as root; otherwise our own uid, or 0 in a user namespace
            "pid_namespace": seen["pid"] <= 2,
            "read_only_filesystem": not seen["writable_mounts"],
            "writable_mounts": seen["writable_mounts"],
            "network": "none" if level == "namespaces" and set(seen["interfaces"]) <= {"lo"} else "host",
        }
    return _isolation


def isolation_level() -> str:
    """``namespaces`` or ``process``: the strongest isolation this machine permits."""
    return isolation()["level"]


def _judge(code: int, timed_out: bool, stderr: str) -> tuple[str, str]:
    if timed_out or code == TIMEOUT_EXIT:
        return TIMED_OUT, ""
    if code == 0:
        return PASSED, ""
    sig = code - 128 if code > 128 else 0
    if sig == signal.SIGXCPU:
        return TIMED_OUT, "CPU time limit"
    if sig:
        try:
            return FAILED, f"killed by {signal.Signals(sig).name}"
        except ValueError:
            return FAILED, f"killed by signal {sig}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    return FAILED, lines[-1][:300] if lines else f"exit code {code}"


# ---- the worker process -------------------------------------------------------------------------


def _serve(evaluator: int) -> None:
    """Worker main loop: one JSON request per line on stdin, one JSON reply per line on stdout."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # die with the evaluator, even if it is SIGKILLed
    if os.getppid() != evaluator:
        return
    del sys.path[0]  # the script's folder: programs must not import auroralm's modules by bare name
    for name in PRELOAD:
        __import__(name)
    for line in sys.stdin.buffer:
        reply = _run_one(libc, json.loads(line))
        sys.stdout.buffer.write(json.dumps(reply).encode() + b"\n")
        sys.stdout.buffer.flush()


def _run_one(libc, request: dict) -> dict:
    """Fork a sandbox for one program, collect its capped output and status, kill what is left."""
    try:  # sandboxes of earlier programs, reaped late: their namespaces take ms to tear down
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass
    pipes = [os.pipe() for _ in range(3)]  # stdout, stderr, status; all fds >= 3, so writers >= 4
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            for target, (_, w) in enumerate(pipes, 1):
                os.dup2(w, target)
            os.closerange(STATUS_FD + 1, 1 << 16)  # above all, the worker's channel to the evaluator
            os.chdir(request["work"])
            os.environ["HOME"] = request["work"]
            _sandbox(libc, request)
        finally:
            os._exit(1)
    for _, w in pipes:
        os.close(w)
    # The sandbox stops the program at its timeout; this later deadline is only a backstop.
    out, err, status, timed_out = _collect([r for r, _ in pipes], request["timeout"] + 1.0, request["output"])
    try:
        os.killpg(pid, signal.SIGKILL)  # its leader is not reaped yet, so the group id cannot have been reused
    except ProcessLookupError:
        pass
    if request["mode"] == "process":  # the supervisor cleans up, unless it was killed meanwhile
        _kill_session(pid, children=False)
    code = int(status) if status.isdigit() else _reap(pid)  # no status: the sandbox was killed
    return {"code": code, "timed_out": timed_out, "stdout": out.decode(errors="replace"),
            "stderr": err.decode(errors="replace")}


def _collect(fds: list[int], timeout: float, cap: int) -> tuple[bytes, bytes, bytes, bool]:
    """Read the stdout, stderr and status pipes (keeping ``cap`` bytes of each) until the status is in
    and the output complete, or time is up; (stdout, stderr, status, timed out)."""
    deadline = time.monotonic() + timeout
    kept = {fd: bytearray() for fd in fds}
    status_at = None
    with selectors.DefaultSelector() as sel:
        for fd in fds:
            sel.register(fd, selectors.EVENT_READ)
        while sel.get_map():
            now = time.monotonic()
            if now >= deadline or status_at is not None and now - status_at > 0.5:
                break  # or else something escaped the sandbox holding the pipes: stop listening
            wake = deadline if status_at is None else min(deadline, status_at + 0.5)
            for key, _ in sel.select(wake - now):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    sel.unregister(key.fd)
                    if key.fd == fds[2]:
                        status_at = now
                # Keep draining past the cap, so that a program flooding its output is not blocked.
                kept[key.fd] += chunk[: max(0, cap - len(kept[key.fd]))]
    for fd in fds:
        os.close(fd)
    return bytes(kept[fds[0]]), bytes(kept[fds[1]]), bytes(kept[fds[2]]), status_at is None


# ---- inside the sandbox -------------------------------------------------------------------------


def _sandbox(libc, request: dict) -> None:
    """Isolate, fork the program, wait for it (up to the timeout), clean up, report its exit code."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    work, mode = request["work"], request["mode"]
    with open(PROGRAM, encoding="utf-8") as f:
        source = f.read()
    userns = os.getuid() != 0
    if mode == "namespaces":
        _unshare(libc, userns)
        pid1 = _fork()  # CLONE_NEWPID applies to children: this one is PID 1 of the namespace
        if pid1:
            _report(_reap(pid1))
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _isolate_filesystem(libc, work)
    else:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    child = _fork()
    if child == 0:
        _drop_privileges(libc, userns and mode == "namespaces")
        cpu = int(request["timeout"]) + 1
        for limit, soft, hard in ((resource.RLIMIT_CPU, cpu, cpu + 1), (resource.RLIMIT_CORE, 0, 0),
                                  (resource.RLIMIT_AS, request["memory"], request["memory"]),
                                  (resource.RLIMIT_FSIZE, request["fsize"], request["fsize"]),
                                  (resource.RLIMIT_NPROC, request["nproc"], request["nproc"])):
            resource.setrlimit(limit, (soft, hard))
        _exec_program(source, os.path.join(work, PROGRAM))
    code = _wait(child, request["timeout"])
    if mode == "namespaces":
        os._exit(TIMEOUT_EXIT if code is None else code)  # as PID 1, exiting kills all that is left
    _kill_session(os.getsid(0), children=True)
    _report(TIMEOUT_EXIT if code is None else code)


def _fork() -> int:
    """fork(); the child drops the status pipe, which only the sandbox's first process may write."""
    pid = os.fork()
    if pid == 0:
        os.closerange(STATUS_FD, STATUS_FD + 1)  # may be closed already (the program's parent is PID 1)
    else:  # our own output copies would hold the pipes open through our slow namespace teardown
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(1, 2)
    return pid


def _report(code: int) -> None:
    os.write(STATUS_FD, b"%d" % code)
    os._exit(code)  # the same again, for when the status is lost


def _unshare(libc, userns: bool) -> None:
    before = os.readlink("/proc/self/ns/mnt")
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    if libc.unshare(flags | (CLONE_NEWUSER if userns else 0)) != 0:
        sys.stderr.write(f"sandbox: no namespaces: {os.strerror(ctypes.get_errno())}\n")
        os._exit(NO_NAMESPACES)
    if os.readlink("/proc/self/ns/mnt") == before:  # never remount the host's filesystem read-only
        os._exit(NO_NAMESPACES)
    if userns:
        uid, gid = os.getuid(), os.getgid()  # still the outer ids until the maps are written
        for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)


def _mount(libc, source: str | None, target: str, fstype: str | None, flags: int) -> int:
    """mount(2); the errno, 0 on success."""
    args = [None if s is None else os.fsencode(s) for s in (source, target, fstype)]
    return 0 if libc.mount(*args, ctypes.c_ulong(flags), None) == 0 else ctypes.get_errno()


def _isolate_filesystem(libc, work: str) -> None:
    """Everything read-only and nosuid except ``work``; a /proc of the new PID namespace."""
    if _mount(libc, None, "/", None, MS_REC | MS_PRIVATE):  # nothing may propagate to the host
        os._exit(NO_NAMESPACES)
    # Can fail where /proc has masked paths (containers): the host's /proc stays visible then,
    # but its processes still cannot be signalled from the new PID namespace.
    _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _mount(libc, work, work, None, MS_BIND)
    os.chdir(work)  # the old working directory still points below the bind mount, at the read-only /
    for line in open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape"):
        fields = line.split(" - ")[0].split()
        target = _unescape(fields[4])
        keep = sum(MOUNT_OPTIONS.get(opt, 0) for opt in fields[5].split(","))
        ro = 0 if target == work else MS_RDONLY
        # Failures are mounts hidden under others (unreachable); isolation() reports any left writable.
        _mount(libc, None, target, None, MS_REMOUNT | MS_BIND | MS_NOSUID | ro | keep)


def _unescape(path: str) -> str:
    head, *rest = path.split("\\")  # mountinfo escapes space, tab, newline, backslash as \ooo
    return head + "".join(chr(int(p[:3], 8)) + p[3:] for p in rest)


def _drop_privileges(libc, userns: bool) -> None:
    """No capability but, as root, reading files: a Python installed under /root stays importable."""
    as_root = os.getuid() == 0 and not userns
    keep = 1 << CAP_DAC_READ_SEARCH if as_root else 0
    # Empty the bounding set first, while CAP_SETPCAP is still ours: no exec can regain a capability.
    for cap in range(64):
        if not keep >> cap & 1:
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    if as_root:
        libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    if libc.capset(header, (ctypes.c_uint32 * 6)(keep, keep, 0, 0, 0, 0)) != 0:
        os._exit(NO_NAMESPACES if userns else 1)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def _exec_program(source: str, path: str) -> None:
    """Run the program in this (forked) process as ``__main__`` and exit with its status."""
    code = 1
    try:
        exec(compile(source, path, "exec"), {"__name__": "__main__", "__file__": path})
        code = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:
            print(e.code, file=sys.stderr)
    except BaseException:
        sys.excepthook(*sys.exc_info())
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code & 0xFF if code >= 0 else 1)


def _reap(child: int) -> int:
    """Wait for ``child``, reaping any other process handed to us meanwhile; its exit code
    (128 + the signal number when killed by a signal)."""
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            return 128 - code if code < 0 else code


def _wait(child: int, timeout: float) -> int | None:
    """Exit code of ``child``, or None when it still runs after ``timeout`` seconds."""
    try:
        fd = os.pidfd_open(child)  # readable once the child has exited
    except OSError:
        return _reap(child)  # kernel before 5.3: the worker's own deadline stops the program
    try:
        if not select.select([fd], [], [], timeout)[0]:
            return None
    finally:
        os.close(fd)
    return _reap(child)


def _kill_session(sid: int, children: bool) -> None:
    """SIGKILL every process of session ``sid`` (and, if ``children``, every child of ours), until none."""
    me = os.getpid()

    def victims() -> list[tuple[int, str]]:
        return [(pid, state) for pid, ppid, psid, state in _processes()
                if pid != me and state != "Z" and (psid == sid or children and ppid == me)]

    # Stop them all first: a stopped fork bomb cannot refill the process slots freed by the kills.
    for _ in range(100):
        running = [pid for pid, state in victims() if state not in "tT"]
        if not running:
            break
        _signal(running, signal.SIGSTOP)
    for _ in range(1000):
        left = [pid for pid, _ in victims()]
        _signal(left, signal.SIGKILL)
        if children:
            try:
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            except ChildProcessError:
                pass
        if not left:
            return
        time.sleep(0.002)


def _processes():
    """(pid, ppid, session, state) of every visible process."""
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    state, ppid, _, sid = f.read().rsplit(b")", 1)[1].split()[:4]
            except (OSError, ValueError):
                continue  # gone meanwhile
            yield int(name), int(ppid), int(sid), state.decode()


def _signal(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        _serve(int(sys.argv[2]))
    else:
        print(json.dumps(isolation(), indent=2))  # python -m auroralm.eval.sandbox: what this machine allows
