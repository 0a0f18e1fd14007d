"""The `deploy:` section of site.yaml and the targets named on the command line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.config import CONFIG_NAME, load_config
from generator.deploy.targets import (
    DeploySettings,
    DirTarget,
    GitTarget,
    is_rsync_destination,
    target_from_args,
)
from generator.errors import UserError

PAGES = "pages: {type: git, repo: git@github.com:org/speeches.git, cname: speeches.example.org}"
SERVER = "server: {type: dir, dest: deploy@host:/var/www/archive/, base_url: https://example.org/archive}"


def settings(tmp_path: Path, text: str) -> DeploySettings:
    (tmp_path / CONFIG_NAME).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_config(tmp_path).deploy


def error(tmp_path: Path, text: str) -> UserError:
    with pytest.raises(UserError) as info:
        settings(tmp_path, text)
    return info.value


def test_targets_are_read_with_their_defaults(tmp_path: Path) -> None:
    found = settings(
        tmp_path,
        f"""
        deploy:
          default: server
          targets:
            {PAGES}
            {SERVER}
        """,
    )
    assert found.default == "server"
    assert found.targets["pages"] == GitTarget(
        "pages", "git@github.com:org/speeches.git", "gh-pages", None, "speeches.example.org"
    )
    server = found.targets["server"]
    assert isinstance(server, DirTarget)
    assert server.base_url == "https://example.org/archive/"  # normalised like base_url
    assert server.remote
    assert found.pick(None) is server
    assert found.pick("pages") is found.targets["pages"]


def test_no_deploy_section_means_no_targets(tmp_path: Path) -> None:
    found = settings(tmp_path, "title: x\n")
    assert found.targets == {}
    with pytest.raises(UserError, match="no deploy target given"):
        found.pick(None)


def test_a_single_target_is_the_default(tmp_path: Path) -> None:
    found = settings(tmp_path, f"deploy:\n  targets:\n    {PAGES}\n")
    assert found.pick(None).name == "pages"


def test_several_targets_without_default_must_be_named(tmp_path: Path) -> None:
    found = settings(tmp_path, f"deploy:\n  targets:\n    {PAGES}\n    {SERVER}\n")
    with pytest.raises(UserError, match=r"several deploy targets \(pages, server\)"):
        found.pick(None)
    with pytest.raises(UserError, match="no deploy target named 'nope'"):
        found.pick("nope")


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        ("deploy:\n  target: {}\n", 2, "deploy.target: unknown setting", "did you mean 'targets'"),
        (
            "deploy:\n  targets:\n    pages:\n      type: git\n      repo: r\n      brnach: x\n",
            6,
            "deploy.targets.pages.brnach: unknown setting",
            "did you mean 'branch'",
        ),
        (
            "deploy:\n  targets:\n    www:\n      type: dir\n      dest: /srv\n      rhs: ssh\n",
            6,
            "deploy.targets.www.rhs: unknown setting",
            "did you mean 'rsh'",
        ),
        ("deploy:\n  targets:\n    www: {type: ftp}\n", 3, "expected 'git' or 'dir'", None),
        ("deploy:\n  targets:\n    www: {type: git}\n", 3, "a git target needs 'repo'", None),
        ("deploy:\n  targets:\n    www: {type: dir}\n", 3, "a dir target needs 'dest'", None),
        ("deploy:\n  targets:\n    git: {type: dir, dest: x}\n", 3, "'git' is reserved", None),
        (
            "deploy:\n  default: www\n  targets:\n    web: {type: dir, dest: x}\n",
            2,
            "no target named 'www'",
            "targets: web",
        ),
        (
            "deploy:\n  targets:\n    p:\n      type: git\n      repo: r\n      branch: 'a b'\n",
            6,
            "not a valid branch name",
            None,
        ),
        (
            "deploy:\n  targets:\n    p:\n      type: git\n      repo: r\n      cname: https://x.org/\n",
            6,
            "a CNAME is a host name",
            None,
        ),
        (
            "deploy:\n  targets:\n    p:\n      type: dir\n      dest: x\n      base_url: ftp://x\n",
            6,
            "expected an http(s) URL or a path",
            None,
        ),
        ("deploy:\n  targets:\n    p: {type: dir, dest: 3}\n", 3, "expected text, got 3", None),
    ],
)
def test_mistakes_name_the_key_and_its_line(
    tmp_path: Path, text: str, line: int, message: str, hint: str | None
) -> None:
    found = error(tmp_path, text)
    assert found.path == tmp_path / CONFIG_NAME
    assert found.line == line
    assert message in found.message
    if hint:
        assert found.hint is not None and hint in found.hint


@pytest.mark.parametrize(
    ("repo", "cname", "expected"),
    [
        ("git@github.com:Org/speeches.git", None, "https://org.github.io/speeches/"),
        ("https://github.com/org/speeches", None, "https://org.github.io/speeches/"),
        ("ssh://git@github.com/org/org.github.io.git", None, "https://org.github.io/"),
        (
            "git@github.com:org/speeches.git",
            "speeches.example.org",
            "https://speeches.example.org/",
        ),
        ("/srv/git/site.git", None, "/archive/"),  # not GitHub: the site's own base_url
    ],
)
def test_git_target_base_url(repo: str, cname: str | None, expected: str) -> None:
    assert GitTarget("p", repo, cname=cname).base_url_for("/archive/") == expected


def test_a_target_base_url_wins() -> None:
    target = GitTarget("p", "git@github.com:o/r.git", base_url="https://x.org/", cname="y.org")
    assert target.base_url_for("/") == "https://x.org/"
    assert DirTarget("d", "/srv", base_url="/a/").base_url_for("/") == "/a/"
    assert DirTarget("d", "/srv").base_url_for("/b/") == "/b/"


@pytest.mark.parametrize(
    ("dest", "remote"),
    [
        ("deploy@host:/var/www/", True),
        ("host:www", True),
        ("rsync://host/module/", True),
        ("/var/www/archive", False),
        ("public", False),
        ("./odd:name", False),
    ],
)
def test_rsync_destinations_follow_rsyncs_rule(dest: str, remote: bool) -> None:
    assert is_rsync_destination(dest) is remote


def test_command_line_targets() -> None:
    empty = DeploySettings()
    git = target_from_args(empty, ["git", "/srv/repo.git"], branch="pages", cname="a.example")
    assert git == GitTarget("git", "/srv/repo.git", "pages", None, "a.example")
    folder = target_from_args(empty, ["dir", "host:/www"], rsh="ssh -p 2222", base_url="/x")
    assert folder == DirTarget("dir", "host:/www", "/x/", "ssh -p 2222")


def test_command_line_options_override_a_configured_target(tmp_path: Path) -> None:
    found = settings(tmp_path, f"deploy:\n  targets:\n    {PAGES}\n")
    target = target_from_args(found, ["pages"], branch="main", base_url="https://o.org/")
    assert isinstance(target, GitTarget)
    assert (target.repo, target.branch, target.cname) == (
        "git@github.com:org/speeches.git",
        "main",
        "speeches.example.org",
    )
    assert target.base_url_for("/") == "https://o.org/"


@pytest.mark.parametrize(
    ("where", "options", "message"),
    [
        (["git"], {}, "`speechsite deploy git` takes one REPO"),
        (["dir", "a", "b"], {}, "`speechsite deploy dir` takes one DEST"),
        (["a", "b"], {}, "one target at a time"),
        (["dir", "/srv"], {"branch": "x"}, "--branch and --cname are for git targets"),
        (["git", "/r"], {"rsh": "ssh"}, "--rsh is for rsync destinations"),
        (["git", "/r"], {"branch": "-x"}, "not a valid branch name"),
        (["git", "/r"], {"cname": "a b"}, "a CNAME is a host name"),
        (["dir", "/srv"], {"base_url": "ftp://x/"}, "expected an http(s) URL"),
    ],
)
def test_command_line_mistakes(where: list[str], options: dict[str, str], message: str) -> None:
    with pytest.raises(UserError) as info:
        target_from_args(DeploySettings(), where, **options)
    assert message in info.value.message
