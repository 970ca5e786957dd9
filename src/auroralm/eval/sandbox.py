"""Run one untrusted Python program in a sandbox: ``run_program(source) -> (status, detail)``.

Threat model. The programs are model-written: usually wrong, sometimes broken in harmful ways
(endless loops, huge allocations, fork bombs, stray writes or deletes, daemons, network calls, signals
to other processes), and should be assumed hostile. Each program runs in its own process session with
a scrubbed environment (PATH, LANG, HOME, PYTHONHASHSEED only), a fresh temporary working directory,
stdin from /dev/null, capped stdout/stderr, a wall-clock timeout and rlimits (CPU seconds, address
space, file size, processes, no core dumps); every process left behind is killed.

Where the kernel allows it ("namespaces" isolation) the program also gets new mount, PID, network,
IPC and UTS namespaces: the whole filesystem is remounted read-only (nosuid) except the working
directory, /proc shows only the sandbox, there is no network interface but a downed loopback, and when
the namespace's PID 1 (our reaper) exits the kernel kills everything left in it. As root the program
runs as ``nobody``; as another user a user namespace is created and every capability dropped.

Without namespaces ("process" isolation: no permission to unshare, e.g. a container's seccomp
profile) the rlimits, session, scrubbed environment and a child-subreaper supervisor remain: network
and filesystem then rest on Unix permissions (as root the program still runs as ``nobody``; as a
normal user it can touch whatever that user can, and can kill the supervisor to let a daemon escape).

Not contained, whatever the level: kernel exploits, CPU side channels, reading world-readable
files, disk and CPU load up to the limits, and, in "process" isolation, the network.
"""

from __future__ import annotations

# Only cheap imports at module level: this file is also the boot script of every sandboxed
# program (``python -s -S sandbox.py --boot ...``), so each import adds to every program's start.
import ctypes
import os
import resource
import sys

PASSED, FAILED, TIMED_OUT = "passed", "failed", "timed out"
MEMORY_BYTES = 1 << 30
FILE_BYTES = 10 << 20
MAX_PROCESSES = 64
OUTPUT_BYTES = 64 << 10
NOBODY = 65534
NO_NAMESPACES = 97  # boot exit code: the kernel refused the namespaces
PROGRAM = "program.py"

# Linux constants (x86-64 and arm64 agree on these).
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MOUNT_OPTIONS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": 1024,
                 "nodiratime": 2048, "relatime": 1 << 21, "strictatime": 1 << 24}
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 24, 36, 38
SIGKILL = 9

# Introspection run by ``isolation()``: what a program inside the sandbox can actually see.
PROBE = """
import json, os, socket
rw = [line.split()[4] for line in open("/proc/self/mountinfo") if "rw" in line.split()[5].split(",")]
print(json.dumps({"uid": os.getuid(), "pid": os.getpid(),
                  "writable_mounts": [m for m in rw if m != os.getcwd()],
                  "interfaces": [name for _, name in socket.if_nameindex()]}))
"""

_isolation: dict | None = None


def run_program(source: str, timeout: float = 3.0, isolation: str = "auto") -> tuple[str, str]:
    """Run ``source`` sandboxed; ``(status, detail)`` with status passed, failed or timed out."""
    status, detail, _, _ = execute(source, timeout, isolation)
    return status, detail


def execute(source: str, timeout: float = 3.0, isolation: str = "auto", *,
            memory_bytes: int = MEMORY_BYTES, file_bytes: int = FILE_BYTES,
            max_processes: int = MAX_PROCESSES,
            output_bytes: int = OUTPUT_BYTES) -> tuple[str, str, str, str]:
    """Like ``run_program`` but also returns the captured (capped) stdout and stderr."""
    import signal
    import subprocess
    import tempfile

    mode = isolation_level() if isolation == "auto" else isolation
    if mode not in ("namespaces", "process"):
        raise ValueError(f"isolation must be auto, namespaces or process, not {isolation!r}")
    with tempfile.TemporaryDirectory(prefix="auroralm-sandbox-", ignore_cleanup_errors=True) as work:
        with open(os.path.join(work, PROGRAM), "w", encoding="utf-8") as f:
            f.write(source)
        if os.geteuid() == 0:
            os.chown(work, NOBODY, NOBODY)  # the program runs as nobody and may write here
        cpu = int(timeout) + 1
        argv = [sys.executable, "-s", "-S", os.path.abspath(__file__), "--boot", mode,
                str(cpu), str(memory_bytes), str(file_bytes), str(max_processes), str(os.getpid())]
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": work,
               "PYTHONHASHSEED": "0"}
        proc = subprocess.Popen(argv, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err, timed_out = _collect(proc, timeout, output_bytes)
        finally:
            # Kill the whole session before reaping its leader, so that the group id cannot be reused.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
    stdout, stderr = out.decode(errors="replace"), err.decode(errors="replace")
    status, detail = _judge(proc.returncode, timed_out, stderr)
    return status, detail, stdout, stderr


def run_programs(sources: list[str], timeout: float = 3.0, workers: int = 2, isolation: str = "auto",
                 on_done=None) -> list[tuple[str, str]]:
    """Run many programs, ``workers`` at a time; results in input order. ``on_done()`` after each."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    isolation_level()  # probe once, before the threads race to do it
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_program, s, timeout, isolation) for s in sources]
        for _ in as_completed(futures):
            if on_done is not None:
                on_done()
    return [f.result() for f in futures]


def isolation() -> dict:
    """What the sandbox achieves on this machine (probed once): level, user, filesystem, network."""
    global _isolation
    if _isolation is None:
        import json

        level = "namespaces"
        status, detail, out, err = execute(PROBE, 10.0, level)
        if status != PASSED and f"exit code {NO_NAMESPACES}" in detail:
            level = "process"
            status, detail, out, err = execute(PROBE, 10.0, level)
        if status != PASSED:
            raise RuntimeError(f"the sandbox cannot run Python here ({detail}); if running as root, "
                               f"the interpreter {sys.executable} must be readable by user nobody")
        seen = json.loads(out)
        if seen["uid"] == NOBODY:
            user = "nobody"
        elif level == "namespaces":
            user = "root of a user namespace, without capabilities"
        else:
            user = f"uid {seen['uid']}"
        _isolation = {
            "level": level,
            "user": user,
            "pid_namespace": seen["pid"] <= 2,
            "read_only_filesystem": not seen["writable_mounts"],
            "writable_mounts": seen["writable_mounts"],
            "network": "none" if level == "namespaces" and set(seen["interfaces"]) <= {"lo"} else "host",
        }
    return _isolation


def isolation_level() -> str:
    """``namespaces`` or ``process``: the strongest isolation this machine permits."""
    return isolation()["level"]


def _collect(proc, timeout: float, cap: int) -> tuple[bytes, bytes, bool]:
    """Read stdout/stderr (keeping ``cap`` bytes of each) until the program ends or time is up."""
    import selectors
    import time

    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    kept = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}
    with selectors.DefaultSelector() as sel:
        for fd in kept:
            sel.register(fd, selectors.EVENT_READ)
        exited_at = None
        while sel.get_map():
            now = time.monotonic()
            if now >= deadline:
                return bytes(out), bytes(err), True
            if exited_at is None and _exited(proc.pid):
                exited_at = now
            elif exited_at is not None and now - exited_at > 0.5:
                break  # the boot is gone but something escaped holding the pipes; stop listening
            for key, _ in sel.select(min(deadline - now, 0.1)):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    sel.unregister(key.fd)
                # Keep draining past the cap, so that a program flooding its output is not blocked.
                kept[key.fd] += chunk[: max(0, cap - len(kept[key.fd]))]
    while not _exited(proc.pid):  # the pipes can close (os.close(1)) before the program ends
        if time.monotonic() >= deadline:
            return bytes(out), bytes(err), True
        time.sleep(0.01)
    return bytes(out), bytes(err), False


def _exited(pid: int) -> bool:
    # WNOWAIT leaves the zombie in place: its pid (our killpg target) stays reserved until reaped.
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _judge(returncode: int, timed_out: bool, stderr: str) -> tuple[str, str]:
    import signal

    if timed_out:
        return TIMED_OUT, ""
    if returncode == 0:
        return PASSED, ""
    sig = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else 0
    if sig == signal.SIGXCPU:
        return TIMED_OUT, "CPU time limit"
    if sig:
        try:
            return FAILED, f"killed by {signal.Signals(sig).name}"
        except ValueError:
            return FAILED, f"killed by signal {sig}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    return FAILED, lines[-1][:300] if lines else f"exit code {returncode}"


# ---- inside the sandbox -------------------------------------------------------------------------


def _boot(mode: str, cpu: int, memory: int, fsize: int, nproc: int, evaluator: int) -> None:
    """Entry of the sandbox process: isolate, fork the program, reap, exit with its status."""
    del sys.path[0]  # the script's folder: the program must not import auroralm's modules by name
    libc = ctypes.CDLL(None, use_errno=True)
    # Die with the evaluator even if it is SIGKILLed, so that no sleeping program outlives it.
    libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    if os.getppid() != evaluator:
        os._exit(1)
    work = os.getcwd()
    with open(PROGRAM, encoding="utf-8") as f:
        source = f.read()
    userns = os.getuid() != 0
    if mode == "namespaces":
        _unshare(libc, userns)
        pid1 = os.fork()  # CLONE_NEWPID applies to children: this one is PID 1 of the namespace
        if pid1:
            os._exit(_reap(pid1))
        libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
        _isolate_filesystem(libc, work)
    else:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    child = os.fork()
    if child == 0:
        _drop_privileges(libc, userns and mode == "namespaces")
        for limit, value in ((resource.RLIMIT_CPU, cpu), (resource.RLIMIT_AS, memory),
                             (resource.RLIMIT_FSIZE, fsize), (resource.RLIMIT_NPROC, nproc),
                             (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(limit, (value, value + 1 if limit == resource.RLIMIT_CPU else value))
        _exec_program(source, os.path.join(work, PROGRAM))
    code = _reap(child)
    if mode != "namespaces":
        _kill_orphans()  # as PID 1 of a namespace, exiting does this for us
    os._exit(code)


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
    if userns:
        # Root of its own user namespace: empty the bounding set (an exec cannot regain capabilities)
        # and clear the current ones, so that the mounts cannot be made writable again.
        for cap in range(64):
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
        header = (ctypes.c_uint32 * 2)(0x20080522, 0)
        libc.capset(header, (ctypes.c_uint32 * 6)())
    elif os.getuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
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
    """Wait for ``child``, reaping any other process handed to us meanwhile; its exit code."""
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            return 128 - code if code < 0 else code


def _kill_orphans() -> None:
    """Kill every process reparented to this subreaper (daemons), until none is left."""
    import time

    me = str(os.getpid()).encode()
    for _ in range(1000):
        for name in os.listdir("/proc"):
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    ppid = f.read().rsplit(b")", 1)[1].split()[1]
                if name.isdigit() and ppid == me:
                    os.kill(int(name), SIGKILL)
            except (OSError, IndexError):
                continue  # not a process, or it is already gone
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return  # no children left at all
        time.sleep(0.005)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--boot"]:
        _boot(sys.argv[2], *map(int, sys.argv[3:8]))
    else:
        import json

        print(json.dumps(isolation(), indent=2))
