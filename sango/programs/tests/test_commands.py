"""The command-line contract other systems rely on: ``sango quote``, ``check-programme``,
``programmes``. Run as a user would, through the installed ``sango`` script."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sango.rules.program import default_program_dir

SANGO = str(Path(sys.executable).with_name("sango"))
STAY = {
    "municipality": "332089",
    "service": "stay",
    "date": "2026-05-10",
    "quantity": 2,
    "tier": "tax_exempt",
    "infants": 2,
    "birth_date": "2026-03-01",
    "facility": "かねこ助産院",
    "fee": 30000,
    "used": {"stay": 3},
}


def sango(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([SANGO, *args], input=stdin, capture_output=True, text=True)


def test_quote_reads_stdin_and_prints_the_result() -> None:
    done = sango("quote", stdin=json.dumps(STAY))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # 非課税 21,500 + 多胎 5,500 per night, two nights; fee 60,000 in all.
    assert result["subsidy"] == 54000
    assert result["copay"] == 6000
    assert result["funding"] == [{"source": "municipality", "amount": 54000}]
    assert result["counted"] == {"stay": 2}
    assert result["remaining"] == {"stay": 2}
    assert result["explanation"], "a single quote explains itself"


def test_quote_reads_a_file_and_speaks_english(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({**STAY, "mother_present": False}), encoding="utf-8")
    result = json.loads(sango("quote", str(request), "--lang", "en").stdout)
    assert result["eligible"] is False
    assert result["reasons"][0]["code"] == "infant_alone"
    assert "infant cannot be cared for alone" in result["reasons"][0]["message"]


def test_bad_request_exits_2_naming_the_field() -> None:
    done = sango("quote", stdin=json.dumps({**STAY, "date": "2026-13-01"}))
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["field"] == "date"
    done = sango("quote", stdin="{not json")
    assert done.returncode == 2
    assert "error" in json.loads(done.stdout)


def test_batch_answers_line_by_line_in_order(tmp_path: Path) -> None:
    lines = [
        json.dumps(STAY),
        json.dumps({**STAY, "tier": "welfare"}),
        "",
        "{broken",
        json.dumps(STAY),
    ]
    source = tmp_path / "uses.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = sango("quote", "--batch", str(source))
    assert done.returncode == 2  # some lines were refused; the others are still answered
    out = done.stdout.split("\n")
    assert json.loads(out[0])["subsidy"] == 54000
    assert json.loads(out[1])["subsidy"] == 60000  # 生活保護 26,000 + 5,500 = 31,500 > 30,000
    assert out[2] == ""
    assert json.loads(out[3])["error"]["code"] == "invalid_json"
    assert json.loads(out[4]) == json.loads(out[0])
    assert "読めなかった行: 1件" in done.stderr


def test_check_programme_names_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (default_program_dir() / "332089-soja.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("limit: 7", "limit: seven", 1), encoding="utf-8")
    done = sango(
        "check-programme", str(default_program_dir() / "431001-kumamoto.yaml"), str(broken)
    )
    assert done.returncode == 1
    assert "OK" in done.stdout and "熊本市" in done.stdout
    assert f"{broken}: versions.1.caps.0.limit:" in done.stdout


def test_programmes_lists_versions_in_wareki() -> None:
    done = sango("programmes")
    assert done.returncode == 0, done.stderr
    assert "332089 総社市" in done.stdout
    assert "令和7年4月1日〜" in done.stdout
    assert "令和6年4月1日〜  利用カード" in done.stdout


def test_a_broken_document_disables_its_municipality_alone(tmp_path: Path) -> None:
    """One broken document used to stop every municipality; now the others are served, and the
    broken one is said loudly by ``quote``, ``programmes`` and ``check-programme``."""
    import os

    broken = tmp_path / "332089-soja.yaml"
    text = (default_program_dir() / "332089-soja.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("limit: 7", "limit: seven", 1), encoding="utf-8")
    unreadable = tmp_path / "229016-yurikago.yaml"
    unreadable.write_text("format: sango-program/1\nmunicipality: [unclosed\n", encoding="utf-8")
    shutil.copy(default_program_dir() / "431001-kumamoto.yaml", tmp_path)
    env = {**os.environ, "SANGO_PROGRAM_DIRS": str(tmp_path)}
    kumamoto = {**STAY, "municipality": "431001", "facility": None, "fee": 30000}
    kumamoto.pop("facility")
    kumamoto["tier"] = "taxable"
    done = subprocess.run(
        [SANGO, "quote"], input=json.dumps(kumamoto), capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["eligible"] in (True, False)
    assert f"{broken}: versions.1.caps.0.limit:" in done.stderr
    assert f"{unreadable}: " in done.stderr and "YAMLとして読めません" in done.stderr

    done = subprocess.run(
        [SANGO, "quote"], input=json.dumps(STAY), capture_output=True, text=True, env=env
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout)["error"]["field"] == "municipality"

    done = subprocess.run([SANGO, "programmes"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "431001 熊本市" in done.stdout
    assert f"使用停止 {broken}: versions.1.caps.0.limit:" in done.stdout
