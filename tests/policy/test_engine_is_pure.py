"""The rule engine runs without Django: frames and dicts in, decisions out."""

import subprocess
import sys


def test_the_engine_imports_no_django():
    code = ("import sys; import fupin.policy.engine, fupin.policy.engine.batch, fupin.policy.engine.diff, "
            "fupin.policy.engine.jsonlines, fupin.policy.engine.population; "
            "p = fupin.policy.engine.load_folder(); assert not p.problems, p.problems; "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
