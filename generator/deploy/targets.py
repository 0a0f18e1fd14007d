"""Deploy targets: the `deploy:` section of site.yaml, and targets given on the command line.

```yaml
deploy:
  default: pages
  targets:
    pages: {type: git, repo: git@github.com:org/speeches.git, branch: gh-pages, cname: speeches.example.org}
    server: {type: dir, dest: deploy@host:/var/www/archive/, base_url: https://example.org/archive/}
```

Validation follows config.py: an unknown key names its line and the closest valid key. This
module only describes targets; publishing to them lives in the *_target modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.errors import UserError
from generator.yamlio import KeyPath

DEFAULT_BRANCH = "gh-pages"
KINDS = ("git", "dir")


class Checks(Protocol):
    """What config.py's checker offers: errors that name the key and its line in site.yaml."""

    def fail(self, keys: KeyPath, message: str, hint: str | None = None) -> UserError: ...

    def known_keys(self, keys: KeyPath, mapping: dict[Any, Any], valid: set[str]) -> None: ...

    def base_url(self, keys: KeyPath, value: str) -> str: ...


_GIT_KEYS = {"type", "repo", "branch", "base_url", "cname"}
_DIR_KEYS = {"type", "dest", "base_url", "rsh"}
_SECTION_KEYS = {"default", "targets"}
_BRANCH_RE = re.compile(r"(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/-]+(?<![./])")
_HOST_RE = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")
_GITHUB_RE = re.compile(
    r"(?:git@github\.com:|(?:https|ssh|git)://(?:[^@/]+@)?github\.com/)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)
# rsync's own rule: a colon before the first slash means host:path (or rsync://…).
_RSYNC_RE = re.compile(r"^(?:rsync://|[^/]*:)")


@dataclass(frozen=True)
class GitTarget:
    """Commit the built site to `branch` of `repo` (a URL, a path, or a remote of the project)."""

    name: str
    repo: str
    branch: str = DEFAULT_BRANCH
    base_url: str | None = None
    cname: str | None = None

    kind = "git"

    def base_url_for(self, site_base_url: str) -> str:
        """The URL the site is built for: the target's, else the custom domain, else the
        GitHub Pages address of a github.com repository, else the site's `base_url`."""
        if self.base_url:
            return self.base_url
        if self.cname:
            return f"https://{self.cname}/"
        found = _GITHUB_RE.match(self.repo)
        if found:
            owner, repo = found["owner"].lower(), found["repo"]
            if repo.lower() == f"{owner}.github.io":
                return f"https://{owner}.github.io/"
            return f"https://{owner}.github.io/{repo}/"
        return site_base_url

    def describe(self) -> str:
        return f"{self.repo} (branch {self.branch})"


@dataclass(frozen=True)
class DirTarget:
    """Mirror the built site into a local folder or an rsync destination (`host:path`)."""

    name: str
    dest: str
    base_url: str | None = None
    rsh: str | None = None  # rsync's --rsh, e.g. "ssh -p 2222"

    kind = "dir"

    @property
    def remote(self) -> bool:
        return is_rsync_destination(self.dest)

    def base_url_for(self, site_base_url: str) -> str:
        return self.base_url or site_base_url

    def describe(self) -> str:
        return self.dest


Target = GitTarget | DirTarget


@dataclass(frozen=True)
class DeploySettings:
    targets: dict[str, Target] = field(default_factory=dict)
    default: str | None = None

    def pick(self, name: str | None) -> Target:
        """The named target, or the default one."""
        if name is None:
            if self.default is not None:
                return self.targets[self.default]
            if len(self.targets) == 1:
                return next(iter(self.targets.values()))
            if not self.targets:
                raise UserError(
                    "no deploy target given",
                    hint="add one under deploy.targets in site.yaml, or run "
                    "`speechsite deploy git REPO` or `speechsite deploy dir DEST`",
                )
            raise UserError(
                f"several deploy targets ({', '.join(sorted(self.targets))}) and no default",
                hint="name one (`speechsite deploy NAME`) or set deploy.default in site.yaml",
            )
        if name not in self.targets:
            known = ", ".join(sorted(self.targets)) or "none configured"
            raise UserError(
                f"no deploy target named {name!r} (targets: {known})",
                hint="`speechsite deploy git REPO` or `speechsite deploy dir DEST` need no "
                "configuration",
            )
        return self.targets[name]


def is_rsync_destination(dest: str) -> bool:
    return bool(_RSYNC_RE.match(dest))


def parse_deploy(data: Any, check: Checks) -> DeploySettings:
    """Validate the `deploy:` mapping of site.yaml."""
    if not data:
        return DeploySettings()
    if not isinstance(data, dict):
        raise check.fail(("deploy",), "expected a mapping with 'targets' (and 'default')")
    check.known_keys(("deploy",), data, _SECTION_KEYS)
    raw = data.get("targets") or {}
    if not isinstance(raw, dict):
        raise check.fail(("deploy", "targets"), "expected a mapping of name: target")
    targets = {str(name): _target(check, str(name), spec) for name, spec in raw.items()}
    default = data.get("default")
    if default is not None and (not isinstance(default, str) or default not in targets):
        known = ", ".join(sorted(targets)) or "none"
        raise check.fail(("deploy", "default"), f"no target named {default!r}", f"targets: {known}")
    return DeploySettings(targets, default)


def _target(check: Checks, name: str, spec: Any) -> Target:
    keys: KeyPath = ("deploy", "targets", name)
    if name in KINDS:
        raise check.fail(
            keys,
            f"{name!r} is reserved for `speechsite deploy {name} …`",
            "give the target another name",
        )
    if not isinstance(spec, dict):
        raise check.fail(keys, "expected a mapping such as {type: git, repo: …}")
    kind = spec.get("type")
    if kind not in KINDS:
        raise check.fail((*keys, "type"), f"expected 'git' or 'dir', got {kind!r}")
    check.known_keys(keys, spec, _GIT_KEYS if kind == "git" else _DIR_KEYS)
    text = {key: _text(check, (*keys, key), value) for key, value in spec.items() if key != "type"}
    base_url = check.base_url((*keys, "base_url"), text["base_url"]) if "base_url" in text else None
    if kind == "git":
        if "repo" not in text:
            raise check.fail(keys, "a git target needs 'repo'", "a URL or path of a git repository")
        for key, validate in (("branch", check_branch), ("cname", check_cname)):
            try:
                if key in text:
                    validate(text[key])
            except UserError as err:
                raise check.fail((*keys, key), err.message, err.hint) from None
        branch = text.get("branch", DEFAULT_BRANCH)
        return GitTarget(name, text["repo"], branch, base_url, text.get("cname"))
    if "dest" not in text:
        raise check.fail(keys, "a dir target needs 'dest'", "a folder, or host:path for rsync")
    return DirTarget(name, text["dest"], base_url, text.get("rsh"))


def check_branch(branch: str) -> None:
    if not _BRANCH_RE.fullmatch(branch):
        raise UserError(f"not a valid branch name: {branch!r}", hint="e.g. gh-pages")


def check_cname(cname: str) -> None:
    if not _HOST_RE.fullmatch(cname):
        raise UserError(f"a CNAME is a host name, got {cname!r}", hint="e.g. speeches.example.org")


def _text(check: Checks, keys: KeyPath, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise check.fail(keys, f"expected text, got {value!r}")
    return value.strip()


def target_from_args(
    settings: DeploySettings,
    where: list[str],
    *,
    branch: str | None = None,
    cname: str | None = None,
    rsh: str | None = None,
    base_url: str | None = None,
) -> Target:
    """The target the command line names: `git REPO`, `dir DEST`, a configured name, or the
    default; options given on the command line override the configured ones."""
    from dataclasses import replace

    from generator.config import normalise_base_url  # config.py imports this module

    target: Target
    if where and where[0] in KINDS:
        kind = where[0]
        if len(where) != 2:
            what = "REPO (a URL or path of a git repository)" if kind == "git" else "DEST"
            raise UserError(
                f"`speechsite deploy {kind}` takes one {what}",
                hint=f"e.g. speechsite deploy {kind} "
                + ("git@github.com:org/speeches.git" if kind == "git" else "/var/www/archive"),
            )
        target = GitTarget("git", where[1]) if kind == "git" else DirTarget("dir", where[1])
    elif len(where) > 1:
        raise UserError(
            f"one target at a time, got {' '.join(where)}",
            hint="a name from site.yaml, or `git REPO`, or `dir DEST`",
        )
    else:
        target = settings.pick(where[0] if where else None)
    if isinstance(target, GitTarget):
        if rsh is not None:
            raise UserError("--rsh is for rsync destinations, not git targets")
        if branch is not None:
            check_branch(branch)
            target = replace(target, branch=branch)
        if cname is not None:
            check_cname(cname)
            target = replace(target, cname=cname)
    else:
        if branch is not None or cname is not None:
            raise UserError("--branch and --cname are for git targets, not folders")
        if rsh is not None:
            target = replace(target, rsh=rsh)
    if base_url is not None:
        target = replace(target, base_url=normalise_base_url(base_url))
    return target
