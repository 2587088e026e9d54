"""The command line as scripts use it: a real subprocess, real files."""
import csv
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=300)


@pytest.fixture
def answers(tmp_path, labelled):
    texts, labels = labelled
    path = tmp_path / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "text", "label", "sector"])
        for i, (text, label) in enumerate(zip(texts * 2, labels * 2)):
            suffix = " Ring meg på 416 83 920." if i == 0 else ("" if i < len(texts) else " Så er det.")
            writer.writerow([f"a{i}", text + suffix, label, "helse"])
    return path


def read(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_scrub_keeps_every_column(answers, tmp_path):
    out = tmp_path / "out.csv"
    result = run("scrub", answers, "--text-column", "text", "--out", out)
    assert result.returncode == 0, result.stderr
    rows = read(out)
    assert list(rows[0]) == ["id", "text", "label", "sector"]
    assert rows[0]["text"].endswith("Ring meg på [telefon].")
    assert len(rows) == len(read_input(answers))


def read_input(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_classify_cold_start_and_trained(answers, tmp_path):
    cold = tmp_path / "cold.csv"
    result = run("classify", answers, "--text-column", "text", "--out", cold)
    assert result.returncode == 0, result.stderr
    rows = read(cold)
    assert list(rows[0])[-3:] == ["cause", "confidence", "uncertain"]
    assert all(0 <= float(row["confidence"]) <= 1 for row in rows)
    # The most likely cause is always written; "uncertain" says whether it clears the threshold.
    assert all(row["cause"] != "uncertain" or row["uncertain"] == "true" for row in rows)
    assert {row["uncertain"] for row in rows} <= {"true", "false"}
    assert all((float(row["confidence"]) < 0.3) == (row["uncertain"] == "true") for row in rows)
    trained = tmp_path / "trained.csv"
    result = run("classify", answers, "--text-column", "text", "--train", answers, "--label-column", "label",
                 "--out", trained)
    assert result.returncode == 0, result.stderr
    rows = read(trained)
    assert sum(row["cause"] == row["label"] for row in rows) / len(rows) > 0.9


def test_cluster_with_summary(answers, tmp_path):
    out, summary = tmp_path / "themes.csv", tmp_path / "summary.json"
    result = run("cluster", answers, "--text-column", "text", "--seed", 3, "--out", out, "--summary", summary)
    assert result.returncode == 0, result.stderr
    rows = read(out)
    assert list(rows[0])[-2:] == ["theme", "theme_label"]
    assert all(int(row["theme"]) >= -1 for row in rows)
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["k"] == len({int(r["theme"]) for r in rows} - {-1}) and data["seed"] == 3
    quotes = [q for theme in data["themes"] for q in theme["representative_answers"]]
    assert quotes and not any("416 83 920" in q for q in quotes)
    fixed = run("cluster", answers, "--k", 3, "--out", out)
    assert fixed.returncode == 0 and len({r["theme"] for r in read(out)} - {"-1"}) == 3


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"id,answer\n1,hei\n", "no column named 'text'"),
    ("text\nLøn\n".encode("cp1252"), "not UTF-8"),
    (b"text\n", "no rows"),
])
def test_bad_input_gives_one_line_and_non_zero_exit(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run("classify", path, "--out", tmp_path / "out.csv")
    assert result.returncode != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path):
    result = run("scrub", tmp_path / "nothing.csv", "--out", tmp_path / "out.csv")
    assert result.returncode != 0 and "cannot read" in result.stderr


def test_evaluate_reports_transfer_sectors_topics_and_names(tmp_path, labelled):
    from tests.analysis.test_names import CONLLU

    texts, labels = labelled
    answers = tmp_path / "answers.csv"
    with open(answers, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "lang", "sector"])
        for i, (text, label) in enumerate(zip(texts * 2, labels * 2)):
            writer.writerow([text + ("" if i < len(texts) else " Så er det."), label, ["nn", "nb"][i % 2],
                             ["helse", "skule"][i // len(texts)]])
    topics = tmp_path / "topics.tsv"
    topics.write_text("index_id\tcategory\ttext\n" + "".join(
        f"{i}\t{label}\t{text}\n" for i, (text, label) in enumerate(zip(texts, labels))), encoding="utf-8")
    names = tmp_path / "names_nno.conllu"
    names.write_text(CONLLU, encoding="utf-8")
    out = tmp_path / "figures.json"
    result = run("evaluate", answers, "--topics", topics, "--names", names, "--json", out)
    assert result.returncode == 0, result.stderr
    for line in ("classification, trained on nynorsk, tested on bokmål and English: macro-F1=",
                 "classification, leave one sector out: macro-F1=", "helse=", "skule=",
                 "themes on topic sentences (topics.tsv): k=", "names in real text (names_nno.conllu): "
                 "person names removed=100.0% (2/2 words)"):
        assert line in result.stdout, result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["names in real text (names_nno.conllu)"]["recall"] == 1.0
    assert set(figures["classification (leave one sector out)"]["per_group"]) == {"helse", "skule"}
    missing = run("evaluate", answers, "--names", tmp_path / "nowhere.conllu")
    assert missing.returncode == 2 and "nowhere.conllu: no such file" in missing.stderr
