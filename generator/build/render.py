"""Pages → HTML: the pages whose key changed rendered with the theme's templates, in parallel,
into the staging folder; template errors as UserErrors naming file and line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator import __version__
from generator.bodystore import BodyStore
from generator.build.load import PARALLEL_MIN
from generator.build.result import Progress
from generator.build.urls import Urls
from generator.config import Config
from generator.errors import UserError
from generator.fsutil import presence, stage
from generator.render.jsonld import json_ld
from generator.render.pages import Page, digest, lang_attribute
from generator.render.theme import Asset, Theme, counted, data_url
from generator.workers import fork_pool

if TYPE_CHECKING:  # imported where needed: a no-change build never pays for them
    import jinja2

    from generator.build.run import Memory


# Files are written by a few threads per process while the next page renders: creating a file
# and its folder waits on the file system (about 0.3 ms on a virtual disk, more under load),
# and waits overlap, so 10,000 pages are written in a fraction of the time one at a time takes.
WRITE_THREADS = 8


def page_keys(
    pages: list[Page], settings: str, known: dict[str, tuple[Any, str]]
) -> dict[str, tuple[Any, str]]:
    """Give each page its key: a digest of the settings, its template and what it shows. A page
    whose data is only strings (`key_parts`: a speech page's) keeps the key it had in `known`
    while they are equal — digesting 10,000 pages is a tenth of a second. Returns what to pass
    as `known` next time."""
    fresh: dict[str, tuple[Any, str]] = {}
    for page in pages:
        if page.kept:  # (its key is the last build's: see pages.LastPages)
            continue
        if page.key_parts is None:
            page.key = digest([settings, page.template, page.key_data])
            continue
        ident = (settings, page.template, page.key_parts)
        last = known.get(page.output)
        if last is not None and last[0] == ident:
            page.key = last[1]
        else:
            page.key = _parts_key(ident)
        fresh[page.output] = (ident, page.key)
    return fresh


def _parts_key(ident: tuple[str, str, tuple[str | None, ...]]) -> str:
    """The key of a page made of strings: their digest, one to a line (none holds a line break:
    settings and parts are digests, the template a file name): under half the time JSON took,
    which a new process pays for all 10,000 speech pages."""
    settings, template, parts = ident
    lines = "\n".join([settings, template, *["" if p is None else p for p in parts]])
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def settings_digest(config: Config, urls: Urls, theme: Theme) -> str:
    """What every page depends on besides its own data."""
    return digest(
        [
            __version__,
            theme.digest,
            urls.base_url,
            config.title,
            config.description,
            config.language,
            config.content_language,
        ]
    )


_STATE: dict[str, Any] = {}


def render_pages(
    pages: list[Page],
    theme: Theme,
    config: Config,
    urls: Urls,
    previous: dict[str, str],
    keys: dict[str, str],
    target: Path,
    staging: Path,
    jobs: int,
    progress: Progress | None,
    store: BodyStore,
    memory: Memory | None = None,
    bytecode: Path | None = None,
) -> tuple[dict[str, str], int]:
    """Render pages whose key changed (or whose file went missing) into `staging`; return
    every page's output hash and how many pages were rendered. `memory` keeps the compiled
    templates for the next build with the same theme and settings (compiling is the slow part
    of rendering a few pages), `bytecode` a folder that keeps them for the next process."""
    files: dict[str, str] = {}
    todo: list[int] = []
    gone: set[str] = set()  # recorded, but no longer in the output: staged whatever its bytes
    with presence(target) as exists:
        for index, page in enumerate(pages):
            known = previous.get(page.output)
            present = known is not None and exists(page.output)
            if known is not None and present and keys.get(page.output) == page.key:
                files[page.output] = known
            else:
                todo.append(index)
                if known is not None and not present:
                    gone.add(page.output)
    if gone:
        previous = {name: value for name, value in previous.items() if name not in gone}
    # List pages first: each takes several times a speech page's time, and in their place at
    # the end of the list they were the last chunks, one worker rendering them alone.
    todo.sort(key=lambda index: pages[index].kind == "speech")
    _STATE.update(
        pages=pages,
        theme=theme,
        config=config,
        urls=urls,
        previous=previous,
        staging=staging,
        store=store,
        bytecode=bytecode,
    )
    settings = settings_digest(config, urls, theme)  # all the compiled templates depend on
    if memory is not None and memory.environment and memory.environment[0] == settings:
        _STATE["env"] = memory.environment[1]
    try:
        for done, (output, file_hash) in enumerate(_render_all(todo, jobs), start=1):
            files[output] = file_hash
            if progress is not None and (done % 100 == 0 or done == len(todo)):
                progress("render", done, len(todo))
        if memory is not None and "env" in _STATE:  # compiled here, not in a worker
            memory.environment = (settings, _STATE["env"])
    finally:
        if "writer" in _STATE:
            _STATE["writer"].shutdown()
        _STATE.clear()
    return files, len(todo)


def _render_all(todo: list[int], jobs: int) -> Iterator[tuple[str, str]]:
    """Rendered (output, hash) pairs, chunk by chunk, so progress can be shown as they come."""
    size = max(50, len(todo) // (jobs * 16))  # (small chunks: the workers finish together)
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    if jobs <= 1 or len(todo) < PARALLEL_MIN:
        for chunk in chunks:
            yield from _render_chunk(chunk)
        return
    with fork_pool(jobs) as pool:
        for results in pool.map(_render_chunk, chunks):
            yield from results


def _render_chunk(indices: list[int]) -> list[tuple[str, str]]:
    pages: list[Page] = _STATE["pages"]
    if "env" not in _STATE:  # once per process: compiling templates is the slow part
        _STATE["env"] = _environment(
            _STATE["theme"], _STATE["config"], _STATE["urls"], _STATE["bytecode"]
        )
    env = _STATE["env"]
    if "writer" not in _STATE:
        _STATE["writer"] = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="store")
    writer: ThreadPoolExecutor = _STATE["writer"]
    stored = []
    for index in indices:
        page = pages[index]
        data = _render(env, page)
        stored.append((page.output, writer.submit(_store, page.output, data)))
    return [(output, future.result()) for output, future in stored]


def _store(name: str, data: bytes) -> str:
    """Stage `data` unless the output already holds exactly these bytes; return its hash."""
    return stage(_STATE["staging"], _STATE["previous"], name, data)


def _environment(
    theme: Theme, config: Config, urls: Urls, bytecode: Path | None = None
) -> jinja2.Environment:
    env = theme.environment(bytecode)

    def found(name: str) -> Asset:
        asset = theme.assets.get(name)
        if asset is None:
            raise UserError(
                f"template asks for a static file that does not exist: {name}",
                theme.dirs[0] / "static",
            )
        return asset

    def asset(name: str) -> str:
        return urls.url(found(name).path)

    def asset_data(name: str) -> str:
        """The file itself as a data: URL. For the favicon: a browser fetches a linked icon
        only after the page's load, so a visit that leaves at once aborts that request, and
        a page with no icon link makes it ask for /favicon.ico, missing under a sub-path."""
        if name not in inlined:  # (made once a process: every page has the favicon)
            inlined[name] = data_url(found(name))
        return inlined[name]

    inlined: dict[str, str] = {}

    env.globals.update(
        site={
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "base_url": urls.base_url,
            "base_path": urls.base_path,
        },
        t=theme.strings,
        url=urls.url,
        asset=asset,
        asset_data=asset_data,
        counted=lambda key, n: counted(theme.strings, key, n),
        content_lang=content_lang(config),
        generator=f"speechsite {__version__}",
    )
    env.filters["json_ld"] = json_ld
    return env


def content_lang(config: Config) -> Markup:
    """` lang="zh-CN"` for the elements holding speech text, where the site's own language is
    another (an English site of Chinese speeches: a screen reader then reads them with a
    Chinese voice, and the theme sets Chinese text as Chinese); else nothing."""
    return lang_attribute(config.content_language, config.language)


def _nav(page: Page, urls: Urls, strings: dict[str, str]) -> list[dict[str, Any]]:
    items = [
        ("home", "", "home"),
        ("topics", "topics/", "topics"),
        ("archive", "archive/", "archive"),
        ("search", "search/", "search"),
    ]
    return [
        {
            "title": strings.get(key, key),
            "url": urls.url(path),
            "active": page.kind.startswith(kind) or (kind == "topics" and page.kind == "topic"),
        }
        for key, path, kind in items
    ]


def _render(env: jinja2.Environment, page: Page) -> bytes:
    import jinja2

    urls: Urls = _STATE["urls"]
    strings = _STATE["theme"].strings
    context = {**page.full_context()}
    if page.kind == "speech":
        speech = dict(context["speech"])
        speech["body_html"] = Markup(_STATE["store"].read(speech.pop("body_fragment")))
        context["speech"] = speech
    context |= {
        "page": {
            "kind": page.kind,
            "title": page.title,
            "description": page.description or _STATE["config"].description,
            "path": page.path,
            "canonical": urls.absolute(urls.url(page.path)) if page.kind != "404" else "",
            "feed_url": page.feed_url,
        },
        "nav": _nav(page, urls, strings),
    }
    try:
        template = env.get_template(page.template)
        return template.render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise UserError(
            f"template error: {exc.message}",
            exc.filename or exc.name,
            exc.lineno,
            "fix the template syntax",
        ) from None
    except jinja2.TemplateNotFound as exc:
        asking, line = _template_frame(exc)  # the include, import or extends that named it
        if asking is None:
            raise UserError(
                f"template not found: {exc.name}",
                _STATE["theme"].dirs[0] / "templates",
                hint="a theme needs every page template or must inherit it from default",
            ) from None
        raise UserError(
            f"template not found: {exc.name}",
            asking,
            line,
            "check the name: templates are found in the theme's templates/ folder, then in"
            " the default theme's (default/… names the default's own)",
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc)
        raise UserError(
            f"template error: {exc.message}",
            path,
            line,
            "see docs/theme-context.md for the variables a template can use",
        ) from None
    except UserError:
        raise
    except RecursionError as exc:  # {% extends "topics.html" %} in topics.html itself
        path, line = _template_frame(exc)
        raise UserError(
            "template error: the template extends or includes itself, over and over",
            path or page.template,
            line,
            f'to build on the stock template, write {{% extends "default/{page.template}" %}}',
        ) from None
    except Exception as exc:  # an expression that fails as it runs: {{ 1/0 }}, {{ n + "字" }}
        path, line = _template_frame(exc)
        if path is None:
            raise  # not the template's: a fault of ours, shown as one
        raise UserError(
            f"template error: {type(exc).__name__}: {exc}",
            path,
            line,
            "fix the expression on this line of the template",
        ) from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where a render error happened, from the traceback."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
