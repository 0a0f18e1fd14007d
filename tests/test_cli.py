"""The `speechsite` command, run in-process (and once as `python -m generator`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.speech import read_front_matter
from tests.conftest import ROOT
from tests.helpers import speech_text, speeches_dir, write_raw


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich sizes tables to COLUMNS; a wide one keeps file names and slugs on one line."""
    monkeypatch.setenv("COLUMNS", "200")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_no_traceback(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output
        assert 'File "' not in output


# --- help -------------------------------------------------------------------------------------


def test_help_describes_ingest(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: speechsite")
    assert "讲话稿" in out
    assert "ingest" in out
    assert "-C ROOT, --root ROOT" in out
    assert "site.yaml" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_ingest_help_explains_force_and_backups(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for text in ("--force", "--quiet", "--verbose", "content/.backups/", "GB18030", ".docx"):
        assert text in out


@pytest.mark.parametrize("command", ["publish", "upload"])
def test_no_unimplemented_subcommands(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


# --- ingest -----------------------------------------------------------------------------------


def test_ingest_sample_prints_summary_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "-C", str(project), "ingest")
    assert code == 0, err
    assert "speechsite ingest" in out
    for column in ("file", "encoding", "slug", "outline", "warnings", "result"):
        assert column in out
    assert "000_fd46211088a2c3db.txt" in out
    assert "quan-xian-zheng-fu-xi-tong-zuo-feng-zheng-dun-dong-yuan-bu" in out
    assert "5 speeches, 5 written" in out
    assert "encodings: utf-8 ×5" in out
    assert "warning: content/raw/004_47845c02328db881.txt: incomplete" in out
    assert len(list(speeches_dir(project).glob("*.md"))) == 5
    code, out, _ = run(capsys, "-C", str(project), "ingest")
    assert code == 0
    assert "5 speeches, 5 unchanged" in out


def test_root_long_option_and_current_folder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, _ = run(capsys, "--root", str(project), "ingest", "-q")
    assert code == 0
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, "ingest")
    assert code == 0
    assert "5 unchanged" in out


def test_root_from_another_folder(
    project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    code, _, err = run(capsys, "-C", str(project), "ingest")
    assert code == 0, err
    assert len(list(speeches_dir(project).glob("*.md"))) == 5
    assert not (elsewhere / "content").exists()


def test_ingest_names_the_files_it_cannot_read(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "content" / "raw" / "讲话稿.pages").write_bytes(b"PK")
    code, out, err = run(capsys, "-C", str(project), "ingest")
    assert code == 0, err  # the other files are ingested; the .pages is a warning, not a failure
    assert (
        "warning: content/raw/讲话稿.pages: not read (a .pages file): open it in Word or WPS and "
        "save it as .docx" in out
    )
    assert "5 speeches, 5 written, 4 warnings, 1 files not read" in out
    code, _, err = run(capsys, "-C", str(project), "ingest", "--quiet")
    assert "warning: content/raw/讲话稿.pages: not read" in err


def test_ingest_particular_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = project / "content" / "raw" / "001_6829b0c84fb550af.txt"
    code, out, _ = run(capsys, "-C", str(project), "ingest", str(one))
    assert code == 0
    assert "1 speeches, 1 written" in out
    assert [p.stem for p in speeches_dir(project).glob("*.md")] == [
        "quan-shi-zuo-feng-jian-she-zhuan-xiang-zhi-li-gong-zuo-hui"
    ]


def test_bad_file_exits_1_with_one_error_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_raw(project, "empty.txt", b"")
    code, out, err = run(capsys, "-C", str(project), "ingest")
    assert code == 1
    errors = [line for line in (out + err).splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "empty.txt" in errors[0] and "empty" in errors[0]
    assert "1 failed" in out
    assert "5 written" in out
    assert_no_traceback(out, err)


def test_quiet_prints_only_errors_and_warnings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_raw(project, "empty.txt", b"")
    code, out, err = run(capsys, "-C", str(project), "ingest", "-q")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert [line for line in lines if line.startswith("error:")] == [
        f"error: {project / 'content' / 'raw' / 'empty.txt'}: file is empty (nothing to import)"
    ]
    assert all(line.startswith(("error: ", "warning: ")) for line in lines)


def test_verbose_lists_removed_lines(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-C", str(project), "ingest", "-v")
    assert code == 0
    assert "removed content/raw/000_fd46211088a2c3db.txt:1 (study-only notice): 仅供学习" in out


def test_malformed_site_yaml_exits_2_with_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "site.yaml").write_text("title: x\ningest: [unclosed\n", encoding="utf-8")
    code, out, err = run(capsys, "-C", str(project), "ingest")
    assert code == 2
    assert err.startswith(f"error: {project / 'site.yaml'}:3: malformed YAML")
    assert len(err.strip().splitlines()) == 1
    assert_no_traceback(out, err)
    assert not speeches_dir(project).exists()


def test_unknown_setting_exits_2_with_suggestion(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "site.yaml").write_text("topcis: {}\n", encoding="utf-8")
    code, _, err = run(capsys, "-C", str(project), "ingest")
    assert code == 2
    assert err.strip() == (
        f"error: {project / 'site.yaml'}:1: topcis: unknown setting (did you mean 'topics'?)"
    )


def test_error_text_with_brackets_is_printed_as_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: rich read '[/／]' in a regex as a closing markup tag and crashed."""
    (project / "site.yaml").write_text(
        "ingest:\n  boilerplate:\n    lines: ['(第[/／]页', '[red]']\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "-C", str(project), "ingest")
    assert code == 2
    assert "'(第[/／]页'" in err
    assert_no_traceback(out, err)


def test_unwritable_output_is_an_error_not_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "content" / "speeches").write_text("a file where a folder should be")
    code, out, err = run(capsys, "-C", str(project), "ingest")
    assert code == 1
    assert err.startswith("error: ")
    assert "speeches" in err
    assert_no_traceback(out, err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ingest", "nowhere.txt"], "no such file or folder"),
        (["ingest"], "no .txt, .md, .docx or .html files found"),
    ],
)
def test_missing_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "content" / "raw").mkdir(parents=True)
    code, _, err = run(capsys, "-C", str(tmp_path), *argv)
    assert code == 2
    assert err.startswith("error: ") and message in err


def test_file_names_with_brackets_are_listed_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_raw(tmp_path, "[red]讲话.txt", speech_text("在全县作风整顿动员会议上的讲话"))
    code, out, _ = run(capsys, "-C", str(tmp_path), "ingest")
    assert code == 0
    assert "[red]讲话.txt" in out


def test_python_m_generator(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(project), "ingest"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "5 speeches, 5 written" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(project), "ingest", "missing.txt"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: ") and "missing.txt" in bad.stderr
    assert_no_traceback(bad.stdout, bad.stderr)


def test_python_m_generator_build_exits_at_once_with_its_output(project: Path) -> None:
    """`run` ends a build's process without the interpreter's teardown: the summary printed
    and the exit code must still come out, and the site be whole."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    command = [sys.executable, "-m", "generator", "-C", str(project)]
    shutil.copytree(ROOT / "themes", project / "themes")
    subprocess.run([*command, "ingest"], env=env, timeout=60, check=True, capture_output=True)
    done = subprocess.run(
        [*command, "build"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built ") and " rendered, " in done.stdout, done.stdout
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / ".speechsite-build.json").is_file()
    bad = subprocess.run(
        [*command, "build", "--jobs", "0"], capture_output=True, text=True, env=env, timeout=60
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: ")


_RICH_LOADED = """
import sys
from generator.cli import main
code = main(sys.argv[1:])
print(code, any(name == "rich" or name.startswith("rich.") for name in sys.modules))
"""


def test_a_quiet_build_does_not_import_rich_and_a_failing_one_reports_with_it(
    tmp_path: Path,
) -> None:
    """Importing rich is a tenth of a no-change build's time: a quiet build that succeeds has
    nothing to print, so it goes without; an error is still printed, through rich."""
    shutil.copytree(ROOT / "content" / "speeches", tmp_path / "content" / "speeches")
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")

    def build(*extra: str) -> tuple[str, str]:
        argv = [sys.executable, "-c", _RICH_LOADED, "-C", str(tmp_path), "build", *extra]
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
        return done.stdout.split("\n")[-2], done.stderr

    assert build("--quiet") == ("0 False", "")
    code, _ = build()  # (not quiet: the summary line is printed by rich)
    assert code == "0 True"
    (tmp_path / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    code, err = build("--quiet")
    assert code == "2 True"
    assert "error:" in err and "site.yaml" in err


def test_a_build_without_a_host_in_base_url_warns_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Atom ids and sitemap locations must be full URLs; with base_url "/" they are paths, so
    the build says how to give the site its host. With a host given, it says nothing."""
    shutil.copytree(ROOT / "content" / "speeches", tmp_path / "content" / "speeches")
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    code, _, err = run(capsys, "-C", str(tmp_path), "build")
    assert code == 0
    assert err.count("warning: base_url has no host") == 1
    assert "--base-url" in err
    code, _, err = run(capsys, "-C", str(tmp_path), "build", "--base-url", "https://a.example/")
    assert code == 0
    assert "warning" not in err
    code, out, err = run(capsys, "-C", str(tmp_path), "build", "--quiet")
    assert (code, out, err) == (0, "", "")


def test_a_missing_speeches_folder_is_an_error_and_unread_files_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped paths.speeches built an empty site without a word, and files a build does
    not read (.MD, a subfolder's .md) were left out silently."""
    shutil.copytree(ROOT / "themes", tmp_path / "themes")
    settings = (ROOT / "site.yaml").read_text("utf-8")
    (tmp_path / "site.yaml").write_text(
        settings.replace("speeches: content/speeches", "speeches: content/speech"), "utf-8"
    )
    code, _, err = run(capsys, "-C", str(tmp_path), "build", "--quiet")
    assert code == 2
    assert "content/speech: the speeches folder does not exist" in err
    (tmp_path / "site.yaml").write_text((ROOT / "site.yaml").read_text("utf-8"), "utf-8")
    speeches = tmp_path / "content" / "speeches"
    shutil.copytree(ROOT / "content" / "speeches", speeches)
    first = sorted(speeches.glob("*.md"))[0]
    first.rename(speeches / "UPPER.MD")
    (speeches / "2024").mkdir()
    sorted(speeches.glob("*.md"))[0].rename(speeches / "2024" / "nested.md")
    code, _, err = run(capsys, "-C", str(tmp_path), "build", "--quiet")
    assert code == 0
    assert "not read, so not in the site: 2024/nested.md, UPPER.MD" in err


def test_a_bug_is_one_line_that_says_so_not_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.cli as cli

    def broken(*args: object, **kwargs: object) -> int:
        raise KeyError(149)

    monkeypatch.setattr(cli, "_build", broken)
    monkeypatch.delenv(cli.DEBUG_VARIABLE, raising=False)
    code, out, err = run(capsys, "-C", str(project), "build")
    assert code == 70
    assert_no_traceback(out, err)
    assert "internal error: KeyError: 149" in err
    assert "SPEECHSITE_DEBUG=1" in err and "bug" in err
    monkeypatch.setenv(cli.DEBUG_VARIABLE, "1")
    with pytest.raises(KeyError):
        main(["-C", str(project), "build"])


def test_a_full_disk_names_the_project_and_says_what_to_do(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk said only `error: No space left on device`: no file, no hint."""
    import errno

    import generator.cli as cli

    def full(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cli, "_build", full)
    code, out, err = run(capsys, "-C", str(project), "build")
    assert code == 1
    assert_no_traceback(out, err)
    assert f"{project.resolve()}: No space left on device" in err
    assert "free some space" in err


def test_an_output_inside_the_raw_folder_is_refused_with_a_relative_project_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: with `-C project`, the folders no output may be inside were joined to the
    project twice (project/project/content/raw), and `--output content/raw/site` built into the
    raw folder."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    monkeypatch.chdir(tmp_path)
    code = main(["-C", "project", "build", "-q", "--output", "content/raw/site"])
    assert code == 2
    assert not (project / "content" / "raw" / "site").exists()


def test_a_markdown_export_is_ingested_and_the_cleaned_speeches_are_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A speech kept as Markdown (a note app's export, `.md`) is read like a `.txt`: its
    title from `#`, its outline from `##` headings, Markdown's marks gone — `**` around a word
    inside a sentence too (in a `.txt` a short one may be characters withheld, 刘**). The cleaned speeches
    ingest wrote are not raw speeches: content/speeches/ (or a folder holding it) and a cleaned
    speech copied into content/raw/ are refused, each with an error saying what to do — read as
    raw Markdown, each speech came back as a second speech of itself."""
    write_raw(
        project,
        "笔记导出.md",
        "# 在全县作风建设大会上的讲话\n\n县委书记　张明\n\n同志们：\n\n今天召开全县作风建设大会。\n\n"
        "## 一、提高认识\n\n**作风建设**永远在路上，要**坚决**落实。\n\n## 二、狠抓落实\n\n- 要加强领导。\n"
        "- 要压实责任。\n".encode(),
    )
    code, out, err = run(capsys, "-C", str(project), "ingest", "content/raw/笔记导出.md")
    assert code == 0, out + err
    written = read_front_matter(speeches_dir(project) / "quan-xian-zuo-feng-jian-she-da-hui.md")
    assert written["title"] == "在全县作风建设大会上的讲话"
    assert written["speaker"] == "张明"
    assert [item["label"] for item in written["outline"]] == ["一、", "二、"]
    body = (speeches_dir(project) / "quan-xian-zuo-feng-jian-she-da-hui.md").read_text("utf-8")
    assert "作风建设永远在路上，要坚决落实。" in body and "**" not in body and "- 要" not in body

    for given in ("content/speeches", "content", "."):
        code, out, err = run(capsys, "-C", str(project), "ingest", given)
        assert code == 2 and "folder of cleaned speeches ingest writes" in err, given
        assert_no_traceback(out, err)
    copied = project / "content" / "raw" / "copied.md"
    shutil.copy(speeches_dir(project) / "quan-xian-zuo-feng-jian-she-da-hui.md", copied)
    code, out, err = run(capsys, "-C", str(project), "ingest", str(copied))
    assert code == 1
    assert "copied.md:1: this is a speech ingest wrote" in out + err
    assert_no_traceback(out, err)
