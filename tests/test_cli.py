import subprocess
import sys

import pytest


def _fupin(*args):
    return subprocess.run([sys.executable, "-m", "fupin.cli", *args], capture_output=True, text=True,
                          env={"FUPIN_DEBUG": "1", "PATH": "/usr/bin:/bin"}, timeout=120)


def test_help_is_bilingual():
    out = _fupin("--help").stdout
    assert "用法 Usage" in out and "areas load" in out and "加载统计用区划代码" in out


@pytest.mark.parametrize("command", ["areas", "audit", "worker", "demo", "dictionaries", "generate", "policy",
                                     "evaluate", "assess", "report", "funds", "registry", "bench"])
def test_each_command_has_bilingual_help(command):
    out = _fupin(command, "--help").stdout
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out) and any(ch.isascii() and ch.isalpha() for ch in out)


def test_failures_exit_non_zero_with_a_message_on_stderr(tmp_path):
    env = {"FUPIN_DEBUG": "1", "FUPIN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "fupin.cli"]
    assert subprocess.run([*run, "migrate", "-v0"], env=env, timeout=300).returncode == 0
    result = subprocess.run([*run, "areas", "load", "--province", "99"], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode != 0
    assert "未知的省级区划代码" in result.stderr
