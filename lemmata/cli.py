"""The ``lemmata`` command.

Exit codes: 0 success, 1 content errors, 2 usage or configuration errors.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from lemmata import __version__
from lemmata.build import BuildOptions, build
from lemmata.errors import ConfigError, ContentError, LemmataError
from lemmata.reporter import Reporter

if TYPE_CHECKING:
    from lemmata.importers import ImportReport

T = TypeVar("T")

app = typer.Typer(
    name="lemmata",
    help="A static site generator for math-heavy technical notes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
new_app = typer.Typer(help="Create a new post or page from a template.", no_args_is_help=True)
app.add_typer(new_app, name="new")
import_app = typer.Typer(
    help="Import posts from Hexo, Jekyll, Hugo, notebooks, web pages or feeds.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")

SiteArg = Annotated[
    Path, typer.Argument(help="The site folder (holding lemmata.toml).", show_default=True)
]
SiteOpt = Annotated[Path, typer.Option("--site", "-s", help="The site folder.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lemmata {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """lemmata: math rendered at build time, Chinese search, notebooks."""


@app.command("build")
def build_command(
    site: SiteArg = Path(),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output folder [default: public/].")
    ] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include drafts.")] = False,
    future: Annotated[bool, typer.Option("--future", help="Include future-dated posts.")] = False,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Override base_url from lemmata.toml.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes [default: cores].")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Build the site into its output folder (replaced atomically)."""
    _without_cycle_collection()
    reporter = Reporter(quiet=quiet)
    options = BuildOptions(
        site_dir=site.resolve(),
        output_dir=output.resolve() if output else None,
        drafts=drafts,
        future=future,
        base_url=base_url,
        strict=strict,
        jobs=jobs,
    )
    report = _run(reporter, lambda: build(options, reporter))
    reporter.diagnostics(report.diagnostics)
    if report.skipped:
        reporter.info(f"nothing changed since the last build → {_shown(report.output_dir)}")
        return
    warnings = f", {report.warnings} warning{'s' * (report.warnings != 1)}"
    reporter.info(
        f"built {report.pages} pages ({report.files} files, {report.written} written)"
        f" in {report.seconds:.2f} s"
        f"{warnings if report.warnings else ''} → {_shown(report.output_dir)}"
    )


@app.command("serve")
def serve_command(
    site: SiteArg = Path(),
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port.")] = 8000,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include drafts.")] = False,
    future: Annotated[bool, typer.Option("--future", help="Include future-dated posts.")] = False,
    open_browser: Annotated[bool, typer.Option("--open", help="Open it in a browser.")] = False,
) -> None:
    """Build, serve with live reload, and rebuild whenever a source file changes."""
    from lemmata.serve import serve

    reporter = Reporter()
    options = BuildOptions(site_dir=site.resolve(), drafts=drafts, future=future)
    _run(
        reporter,
        lambda: serve(options, host=host, port=port, open_browser=open_browser, reporter=reporter),
    )


@app.command("check")
def check_command(
    site: SiteArg = Path(),
    external: Annotated[
        bool, typer.Option("--external", help="Also check links to other sites.")
    ] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include drafts.")] = False,
    future: Annotated[bool, typer.Option("--future", help="Include future-dated posts.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Build in memory and report broken links, anchors, images, math and more."""
    from lemmata.check import check_site

    reporter = Reporter()
    options = BuildOptions(
        site_dir=site.resolve(), drafts=drafts, future=future, strict=strict, jobs=None
    )
    found = _run(reporter, lambda: check_site(options, reporter, external=external))
    reporter.diagnostics(found)
    errors = sum(1 for d in found if d.is_error)
    reporter.info(f"{errors} error{'s' * (errors != 1)}, {len(found) - errors} warnings")
    if errors:
        raise typer.Exit(1)


@app.command("init")
def init_command(
    directory: Annotated[Path, typer.Argument(help="Folder to create the site in.")],
    title: Annotated[str, typer.Option("--title", help="Site title.")] = "My Notes",
) -> None:
    """Create a starter site that builds at once."""
    from lemmata import scaffold

    reporter = Reporter()
    _run(reporter, lambda: scaffold.init_site(directory, title=title))
    reporter.info(f"created a new site in {directory}; build it with: lemmata build {directory}")


@new_app.command("post")
def new_post(
    title: Annotated[str, typer.Argument(help="Title of the post.")],
    category: Annotated[str | None, typer.Option("--category", "-c", help="Category.")] = None,
    site: SiteOpt = Path(),
) -> None:
    """Create content/posts/<slug>.md with its front matter filled."""
    from lemmata import scaffold

    reporter = Reporter()
    path = _run(reporter, lambda: scaffold.new_document(site, "post", title, category=category))
    reporter.info(f"created {_shown(path)}")


@new_app.command("page")
def new_page(
    title: Annotated[str, typer.Argument(help="Title of the page.")],
    site: SiteOpt = Path(),
) -> None:
    """Create content/pages/<slug>.md."""
    from lemmata import scaffold

    reporter = Reporter()
    path = _run(reporter, lambda: scaffold.new_document(site, "page", title))
    reporter.info(f"created {_shown(path)}")


IntoOpt = Annotated[
    Path, typer.Option("--into", help="The lemmata site to import into (holding lemmata.toml).")
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overwrite posts edited since they were imported.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]


@import_app.command("hexo")
def import_hexo_command(
    path: Annotated[Path, typer.Argument(help="The Hexo site folder (holding _config.yml).")],
    into: IntoOpt = Path(),
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import the posts of a Hexo site, with their asset folders."""
    from lemmata.importers import import_hexo

    _import(quiet, lambda: import_hexo(path, into, force=force))


@import_app.command("jekyll")
def import_jekyll_command(
    path: Annotated[Path, typer.Argument(help="The Jekyll site folder (holding _config.yml).")],
    into: IntoOpt = Path(),
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import the posts (and drafts) of a Jekyll site, with the images they use."""
    from lemmata.importers import import_jekyll

    _import(quiet, lambda: import_jekyll(path, into, force=force))


@import_app.command("hugo")
def import_hugo_command(
    path: Annotated[Path, typer.Argument(help="The Hugo site folder (holding hugo.toml).")],
    into: IntoOpt = Path(),
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import the posts of a Hugo site, with their page bundles."""
    from lemmata.importers import import_hugo

    _import(quiet, lambda: import_hugo(path, into, force=force))


@import_app.command("notebook")
def import_notebook_command(
    path: Annotated[Path, typer.Argument(help="A .ipynb file, or a folder of them.")],
    into: IntoOpt = Path(),
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Copy Jupyter notebooks in as posts, outputs kept."""
    from lemmata.importers import import_notebooks

    _import(quiet, lambda: import_notebooks(path, into, force=force))


@import_app.command("url")
def import_url_command(
    target: Annotated[str, typer.Argument(help="An http(s) URL, or a saved HTML file.")],
    into: IntoOpt = Path(),
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import a web article: its text, formulas, code and images, without the page around it."""
    from lemmata.importers import import_url

    _import(quiet, lambda: import_url(target, into, force=force))


@import_app.command("feed")
def import_feed_command(
    target: Annotated[str, typer.Argument(help="The URL or file of an RSS or Atom feed.")],
    into: IntoOpt = Path(),
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import every entry of a feed as a post."""
    from lemmata.importers import import_feed

    _import(quiet, lambda: import_feed(target, into, force=force))


def _import(quiet: bool, action: Callable[[], ImportReport]) -> None:
    """Run an import, print what it did and a summary table; exit 1 if anything failed."""
    from rich.table import Table

    from lemmata.importers import Outcome

    reporter = Reporter(quiet=quiet)
    report = _run(reporter, action)
    reporter.diagnostics(report.diagnostics)
    for result in report.results:
        if result.outcome is not Outcome.FAILED:
            where = f" → {result.path}" if result.path else ""
            reporter.info(f"{result.outcome.value}: {result.source}{where}")
    table = Table(title="import summary")
    columns = [*Outcome, "warnings"]
    for column in columns:
        table.add_column(str(column), justify="right")
    counts = [str(report.count(o)) for o in Outcome] + [str(report.warnings)]
    table.add_row(*counts)
    reporter.lines.append("  ".join(f"{c}: {n}" for c, n in zip(columns, counts, strict=True)))
    if not quiet:
        reporter.console.print(table)
    if report.failed:
        raise typer.Exit(1)


def _run(reporter: Reporter, action: Callable[[], T]) -> T:
    """Run an action, turning lemmata's errors into messages and exit codes."""
    try:
        return action()
    except (ConfigError, ContentError) as exc:
        reporter.diagnostics(exc.diagnostics)
        if isinstance(exc, ContentError):
            errors = sum(1 for d in exc.diagnostics if d.is_error)
            reporter.error(
                f"build failed with {errors} error{'s' * (errors != 1)}; output unchanged"
            )
        raise typer.Exit(exc.exit_code) from None
    except LemmataError as exc:
        reporter.error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        reporter.error("interrupted; output unchanged")
        raise typer.Exit(130) from None


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _without_cycle_collection() -> None:
    """Turn off the cyclic garbage collector for the rest of this process.

    A build keeps hundreds of thousands of objects alive until it ends, and
    every full collection walks all of them to free next to nothing (a build's
    garbage is freed by reference counting); at 5,000 posts those walks cost
    more than a tenth of a rebuild. Peak memory is unchanged (measured).
    """
    gc.disable()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    # Tearing down the objects of a large build takes a noticeable moment, for
    # nothing: with everything written, flushed and closed, leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 0)
