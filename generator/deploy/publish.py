"""`speechsite deploy`, in order: check the target and the project's git state, build the site
afresh for the target's base_url into a temporary folder, check its links, publish.

The build never goes to the user's `site/` (whose base_url may differ), nor uses its cache: a
temporary folder is built from scratch, so what is published is always a complete build of the committed content,
and the folder is removed on every path out — success, error or Ctrl-C. Any failure before the
publishing step leaves the target untouched, and each target leaves the previous deployment
intact when publishing itself fails (see the *_target modules).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.build import CACHE_DIR, MARKER, BuildResult, Progress, build_site
from generator.config import Config
from generator.deploy.dir_target import publish_dir
from generator.deploy.git_target import publish_git, resolve_repo
from generator.deploy.linkcheck import CheckResult, check_site
from generator.deploy.manifest import DEPLOY_MARKER, Changes, marker_bytes, scan
from generator.deploy.rsync_target import publish_rsync, require_rsync
from generator.deploy.source import SourceState, commit_message, git, require_clean, source_state
from generator.deploy.targets import DirTarget, GitTarget, Target
from generator.errors import UserError

SHOWN_BROKEN = 20  # broken links listed in the error
FALLBACK_IDENTITY = ("speechsite", "speechsite@localhost")
# Deploy builds keep their own cache (parsed speeches, body fragments) beside the one of
# site/'s builds, so a deploy does not make the next `speechsite build` start over.
DEPLOY_CACHE = "deploy"


@dataclass
class DeployResult:
    target: Target
    where: str  # the repository and branch, or the destination
    base_url: str
    dry_run: bool
    source: SourceState
    build: BuildResult
    check: CheckResult
    changes: Changes = field(default_factory=Changes)
    seconds: float = 0.0


Stage = Callable[[str], None]


def deploy(
    config: Config,
    target: Target,
    *,
    dry_run: bool = False,
    allow_dirty: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    on_stage: Stage | None = None,
) -> DeployResult:
    """Build, check and publish the site to `target`; see the module docstring."""
    started = time.perf_counter()
    stage = on_stage or (lambda _: None)
    root = config.root
    repo = resolve_repo(target.repo, root) if isinstance(target, GitTarget) else ""
    where = _where(target, repo, config)
    source = source_state(root, _inputs(config))
    if not allow_dirty:
        require_clean(source, root)
    base_url = target.base_url_for(config.base_url)
    with tempfile.TemporaryDirectory(
        prefix="speechsite-deploy-", ignore_cleanup_errors=True
    ) as tmp:
        output = Path(tmp) / "site"
        stage(f"building the site for {base_url}")
        try:
            built = build_site(
                config,
                output=output,
                base_url=base_url,
                jobs=jobs,
                progress=progress,
                cache_dir=config.root / CACHE_DIR / DEPLOY_CACHE,
            )
        except UserError as err:
            raise UserError(
                f"the build failed, so nothing was deployed: {err.message}",
                err.path,
                err.line,
                err.hint,
            ) from None
        (output / MARKER).unlink(missing_ok=True)  # the build's bookkeeping, not the site's
        stage("checking internal links and assets")
        checked = check_site(output, base_url)
        _refuse_broken(checked)
        result = DeployResult(target, where, base_url, dry_run, source, built, checked)
        stage(f"comparing with {where}" if dry_run else f"publishing to {where}")
        if isinstance(target, GitTarget):
            message = commit_message(source, base_url, __version__)
            result.changes = publish_git(output, target, repo, message, _identity(root), dry_run)
        else:
            files, _ = scan(output)
            marker = marker_bytes(files)
            (output / DEPLOY_MARKER).write_bytes(marker)
            if target.remote:
                changes = publish_rsync(output, target.dest, target.rsh, dry_run)
            else:
                changes = publish_dir(output, local_dest(target, config), dry_run)
            result.changes = changes.without({DEPLOY_MARKER: len(marker)})
    result.seconds = time.perf_counter() - started
    return result


def _inputs(config: Config) -> list[Path]:
    """What the build reads, whose uncommitted changes would make the deploy unreproducible."""
    inputs = [config.speeches_dir, config.root / "themes"]
    if config.source is not None:
        inputs.append(config.source)
    return inputs


def _where(target: Target, repo: str, config: Config) -> str:
    """Check the target before building, so a mistake fails at once; describe it."""
    if isinstance(target, GitTarget):
        return f"{repo} (branch {target.branch})"
    if target.remote:
        require_rsync(target.dest)
        return target.dest
    return str(local_dest(target, config))


def local_dest(target: DirTarget, config: Config) -> Path:
    """The destination folder (relative to the project), never the project or a folder
    holding it, nor the project's own output, content, themes or cache: publishing into
    site/ made it a folder the next `speechsite build` refused to replace."""
    root = config.root
    dest = Path(target.dest).expanduser()
    dest = (dest if dest.is_absolute() else root / dest).resolve()
    if root.resolve().is_relative_to(dest):
        raise UserError(
            "the destination would contain the project itself",
            dest,
            hint="publish to a folder of its own, e.g. /var/www/archive",
        )
    for folder in (config.output, root / "content", root / "themes", root / CACHE_DIR):
        if dest.is_relative_to(folder.resolve()):
            raise UserError(
                f"the destination is inside the project's {folder.name}/ folder",
                dest,
                hint="publish to a folder outside the project's output, content and themes",
            )
    return dest


def _refuse_broken(checked: CheckResult) -> None:
    if not checked.broken:
        return
    shown = "\n  ".join(str(link) for link in checked.broken[:SHOWN_BROKEN])
    more = checked.broken[SHOWN_BROKEN:]
    tail = f"\n  … and {len(more)} more" if more else ""
    count = len(checked.broken)
    raise UserError(
        f"{count} broken internal link{'s' if count != 1 else ''} in the built site, so "
        f"nothing was deployed:\n  {shown}{tail}",
        hint="fix the templates or content that produce them and run deploy again",
    )


def _identity(root: Path) -> tuple[str, str]:
    """The committer of the published commit: the project's git identity if it has one."""
    values = []
    for key, fallback in zip(("user.name", "user.email"), FALLBACK_IDENTITY, strict=True):
        found = git("config", key, cwd=root)
        values.append(
            found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else fallback
        )
    return values[0], values[1]
