"""Every example in README.md runs and answers what the README says it answers."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.canned import CannedQueries
from service.catalog import parse_query_file
from service.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
HOST = "http://127.0.0.1:8000"


def blocks(language: str) -> list[str]:
    """The fenced blocks of one language ('' for none), opening and closing fences paired."""
    found, current, lang = [], [], None
    for line in README.splitlines():
        if line.startswith("```"):
            if lang is None:
                lang, current = line[3:].strip(), []
            else:
                if lang == language:
                    found.append("\n".join(current) + "\n")
                lang = None
        elif lang is not None:
            current.append(line)
    return found


def curl_examples() -> list[tuple[str, dict[str, object] | None]]:
    """Each curl command of the sh blocks, with the JSON the README shows under it, if any."""
    found: list[tuple[str, dict[str, object] | None]] = []
    for block in blocks("sh"):
        lines = block.replace("\\\n", " ").splitlines()
        for i, line in enumerate(lines):
            shown = lines[i + 1].strip() if i + 1 < len(lines) else ""
            expected = (
                json.loads(re.sub(r'(?<!")…(?!")', '"…"', shown[2:]))
                if shown.startswith("# {")
                else None
            )
            for command in line.split(" ; "):
                if command.strip().startswith("curl "):
                    found.append((command.strip(), expected))
    return found


EXAMPLES = curl_examples()


def test_the_readme_has_the_curl_examples_it_promises():
    assert len(EXAMPLES) >= 10
    assert any("/health" in command and shown for command, shown in EXAMPLES)


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c[:70] for c, _ in EXAMPLES])
def test_curl_example_answers(live_server, tmp_path, command, expected):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed: apt-get install curl (.ci/run does)")
    argv = shlex.split(command.replace(HOST, live_server.url), comments=True)
    out = subprocess.run(
        [*argv, "--max-time", "60", "-w", "\n%{http_code} %{content_type}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    body, _, status_line = out.rpartition("\n")
    status, _, content_type = status_line.partition(" ")
    assert status == "200", (command, body)
    accept = next((h[len("Accept: ") :] for h in argv if h.startswith("Accept: ")), None)
    if accept:
        assert content_type.startswith(accept), command
    written = sorted(tmp_path.iterdir())
    assert body.strip() or (written and written[0].stat().st_size > 0), command
    if expected is not None:
        answer = json.loads(body)
        assert set(answer) == set(expected)
        assert {k: v for k, v in expected.items() if v != "…"} == {
            k: answer[k] for k, v in expected.items() if v != "…"
        }
    if "/api/ask" in command:
        answer = json.loads(body)
        assert answer["understood"] and answer["text"] and answer["query"] and answer["sources"]
        assert answer["sparql"].lstrip().upper().startswith(("PREFIX", "SELECT"))


def test_every_way_of_naming_step_3_gives_the_same_documents(client):
    """'step=3, step=第三步, step=bank%20step … all work'."""
    assert "step=3, step=第三步, step=bank%20step" in README
    rows = [
        client.get(f"/api/queries/step-documents?step={value}&lang=en").get_json()["rows"]
        for value in ("3", "第三步", "bank%20step")
    ]
    assert rows[0] and rows[0] == rows[1] == rows[2]


def test_the_canned_query_example_loads_and_answers(tmp_path, app):
    (example,) = [b for b in blocks("sparql") if b.startswith("#+ summary")]
    path = Path(tmp_path, "documents-example.rq")
    path.write_text(example, encoding="utf-8")
    query = parse_query_file(path)
    canned: CannedQueries = app.extensions["newborn_kg.canned"]
    runner = CannedQueries({query.name: query}, canned.store, canned.index)
    answer = runner.answer(query.name, {"step": query.params[0].example}, "en")
    expected = canned.answer("step-documents", {"step": "3"}, "en")
    assert {r["document"]["value"] for r in answer.rows} == {
        r["document"]["value"] for r in expected.rows
    }


def test_the_command_line_synopsis_matches_the_commands():
    (synopsis,) = [b for b in blocks("") if b.startswith("newborn-kg serve")]
    for line in synopsis.splitlines():
        name, *words = line.split("#")[0].split()[1:]
        if name.startswith("--"):
            assert name in {o for p in main.params for o in p.opts}, name
            continue
        assert name in main.commands, name
        options = {o for p in main.commands[name].params for o in p.opts}
        for option in re.findall(r"--[a-z-]+", " ".join(words)):
            assert option in options, (name, option)
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output


def test_every_make_target_and_script_the_readme_names_exists():
    commands = [
        line.split("#")[0].split()
        for block in blocks("sh")
        for line in block.splitlines()
        if line.startswith(("make ", ".venv/bin/python "))
    ]
    commands += [c.split() for c in re.findall(r"`(\.venv/bin/python [^`]+)`", README)]
    assert any(c[:2] == ["make", "test"] for c in commands)
    for command in commands:
        if command[0] == "make":
            dry = subprocess.run(
                ["make", "-n", *command[1:]], cwd=ROOT, capture_output=True, text=True
            )
            assert dry.returncode == 0, (command, dry.stderr)
        else:
            assert (ROOT / command[1]).is_file(), command
