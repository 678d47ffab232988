"""The one warm headless Chromium that renders every server-side image and prints every PDF brief.

:class:`ExportBrowser` starts one Chromium (a :class:`kaleido.Kaleido`) on first use and keeps it in a
background thread with its own asyncio loop, so the second export skips the ~2–6 s start-up. It is the
equivalent of ``kaleido.start_sync_server()``, plus a second tab for printing the HTML briefs to PDF
(``Page.printToPDF``) on the same browser. :func:`get_browser` gives the process-wide instance;
:func:`warm_up` starts it ahead of the first export. Requests reach it through the bounded render pool
(:mod:`dashboard.export.pool`), never from a request thread directly.

Time limits and faults: every render has a time limit (``MIPEXR_EXPORT_TIMEOUT`` seconds, default 60); a
render that runs out of time is stopped and the browser is restarted as soon as no other render is using
it (a stopped render can leave a tab half-loaded: the next one must not inherit it). A browser that died
is restarted once on the next render.

Files and shutdown: everything the browser writes — Chromium's profile, kaleido's page, the HTML of briefs
being printed — lives in one private folder ``mipexr-export-<pid>-…`` in the temp folder. When the browser
is shut down — at exit (``atexit``) and on SIGTERM/SIGINT (:func:`install_shutdown_handlers`, which hands
the signal on to the handler that was there before, or to the default action) — Chromium's whole process
group is stopped first, even while it is still starting (it is then found by its profile folder in
``/proc``), and the folder removed after. A process killed outright (SIGKILL) cannot clean up: its Chromium ends
when its pipe closes, and :func:`dashboard.export.cleanup.remove_folders_of` removes what is left —
gunicorn's master calls it for every worker that exits, and at start for folders of processes that are gone.

The browser is ``BROWSER_PATH`` if set, else the first of ``chromium``, ``chromium-browser``,
``google-chrome`` … on ``PATH`` (then choreographer's discovery, then ``/usr/bin/chromium``). Without a
browser every server-side export raises :class:`~dashboard.errors.ExportError` with a plain message
(:func:`browser_problem`); CSV/XLSX downloads need no browser.

No network: kaleido's page loads plotly.js from the installed plotly package (``plotlyjs=``), MathJax is
switched off (``mathjax=False``; kaleido would otherwise fetch it from a CDN) and plotly.js geo base maps
come from the committed ``assets/topojson/`` as a ``file://`` URL (``topojson=``; choreographer starts
Chromium with ``--allow-file-access-from-files``).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import importlib.util
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashboard import config
from dashboard.errors import ExportError
from dashboard.i18n import N_
from dashboard.views.common import one_line as _one_line

#: plotly.js of the installed plotly package (found without importing plotly).
PLOTLY_JS = Path(importlib.util.find_spec("plotly").origin).parent / "package_data" / "plotly.min.js"
TOPOJSON_DIR = config.ASSETS_DIR / "topojson"
BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FALLBACK_BROWSER = "/usr/bin/chromium"
TABS = int(os.environ.get("MIPEXR_EXPORT_TABS", "1"))  # kaleido tabs; 2 measured no faster on 2 cores
TMP_PREFIX = "mipexr-export-"
#: Longest folder Chromium can use as TMPDIR: it makes ``<TMPDIR>/org.chromium.Chromium.XXXXXX/SingletonSocket``,
#: a Unix socket, whose path must stay under 108 bytes.
MAX_SCRATCH_PATH = 60
log = logging.getLogger(__name__)


def _timeout_setting() -> float:
    try:
        return max(1.0, float(os.environ.get("MIPEXR_EXPORT_TIMEOUT", "60")))
    except ValueError:
        return 60.0

NO_BROWSER_HINT = (
    "Set BROWSER_PATH to a Chromium executable (e.g. /usr/bin/chromium) or install Debian's 'chromium' "
    "package. CSV/XLSX downloads and the in-browser PNG/SVG buttons work without it."
)


def find_browser() -> str | None:
    """Path of the Chromium used for exports, or None.

    ``BROWSER_PATH`` wins when set (even if wrong: :func:`browser_problem` then names it); otherwise
    the first of :data:`BROWSER_CANDIDATES` on ``PATH``, then choreographer's own discovery.
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - discovery is best effort
        found = None
    if found:
        return found
    return FALLBACK_BROWSER if os.access(FALLBACK_BROWSER, os.X_OK) else None


def browser_problem() -> str | None:
    """A plain message when no usable Chromium is configured, else None (cheap: no process started)."""
    path = find_browser()
    if not path:
        return f"Server-side export needs the Chromium browser, which was not found. {NO_BROWSER_HINT}"
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        where = "BROWSER_PATH" if os.environ.get("BROWSER_PATH") else "the browser path"
        return (f"Server-side export needs Chromium, but {where} points to {path!r}, which is not an executable "
                f"file. {NO_BROWSER_HINT}")
    return None


def browser_available() -> bool:
    return browser_problem() is None


#: What the public may read about server-side export (no path, no version: :func:`browser_status`).
#: N_-marked: :func:`browser_status` answers in English; pages and routes show ``_(message)``.
STATUS_AVAILABLE = N_("Server-side image and PDF export is available.")
STATUS_UNAVAILABLE = N_("Server-side image and PDF export is not available on this server (it needs the Chromium "
                        "browser). CSV/XLSX downloads and the in-browser PNG/SVG buttons still work.")


def browser_status() -> tuple[bool, str]:
    """(available, plain reason) for people and pages: never the browser's path or version (those go to
    the log and the command line through :func:`browser_problem`)."""
    problem = browser_problem()
    if problem:
        log.info("server-side export unavailable: %s", problem)
    return problem is None, STATUS_AVAILABLE if problem is None else STATUS_UNAVAILABLE


def topojson_file_url() -> str:
    """``file://…/assets/topojson/`` for kaleido's ``topojson=`` (plotly.js appends ``<scope>_<res>m.json``)."""
    return TOPOJSON_DIR.resolve().as_uri() + "/"


class ExportBrowser:
    """One headless Chromium kept warm for image rendering (kaleido) and HTML→PDF printing.

    Thread-safe: any thread may call :meth:`render` / :meth:`render_many` / :meth:`print_pdf`; the work
    runs on a private event loop in a daemon thread. The browser starts on first use (or :meth:`start`),
    is restarted once if it died, and is restarted after a render that ran out of time. ``timeout`` bounds
    one render (seconds; ``MIPEXR_EXPORT_TIMEOUT`` by default); each call may give a shorter one.
    """

    def __init__(self, path: str | None = None, timeout: float | None = None, start_timeout: float = 60.0,
                 tabs: int = TABS):
        self._path = path
        self.tabs = tabs
        self.timeout = timeout if timeout is not None else _timeout_setting()
        self.start_timeout = start_timeout
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._pdf_tab = None
        self._pdf_lock: asyncio.Lock | None = None
        self._tmp: Path | None = None
        self._removed: set[Path] = set()  # folders removed already (a start under way may write in them again)
        self._pgid: int | None = None  # Chromium's process group (choreographer starts it in a new session)
        self._busy = threading.Condition()
        self._inflight = 0
        self._suspect = False  # a render was stopped: restart once nothing runs
        self._restarting = False
        self.starts = 0  # how many times a browser was started (the benchmark and tests read it)
        self.restarts_after_timeout = 0
        _instances.add(self)

    # -- life cycle -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._kaleido is not None

    @property
    def tmp_dir(self) -> Path | None:
        """The private folder of this browser's files (None until the browser first starts)."""
        return self._tmp

    @property
    def pid(self) -> int | None:
        """Process id of the process group leader of the running browser (None when not running)."""
        return self._pgid if self._kaleido is not None else None

    def _ensure_tmp(self) -> Path:
        if self._tmp is None or not self._tmp.is_dir():
            self._tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-"))
        return self._tmp

    def start(self) -> None:
        """Start Chromium now (idempotent); raises ExportError when it cannot."""
        with self._lock:
            if self._kaleido is not None:
                return
            problem = browser_problem() if self._path is None else None
            path = self._path or find_browser()
            if problem or not path:
                raise ExportError(problem or "no browser", reason="no-browser")
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="mipexr-export-browser",
                                                daemon=True)
                self._thread.start()
            try:
                fut = asyncio.run_coroutine_threadsafe(self._open(path), self._loop)
                fut.result(timeout=self.start_timeout)
            except Exception as exc:  # noqa: BLE001
                self._kaleido = None
                self._kill_group()
                raise ExportError(f"Chromium at {path!r} could not be started for export: {_one_line(exc)}. "
                                  f"{NO_BROWSER_HINT}", reason="no-browser") from exc
            self.starts += 1

    async def _open(self, path: str) -> None:
        import kaleido

        logging.getLogger("choreographer").setLevel(logging.ERROR)
        logging.getLogger("kaleido").setLevel(logging.ERROR)
        logging.getLogger("browser_proc").setLevel(logging.CRITICAL)
        root = self._ensure_tmp()
        # kaleido's page and Chromium's profile in our own folder (kaleido would put them in /tmp/tmp…,
        # where nothing removes them after a SIGTERM)
        page = root / "kaleido-page.html"
        page.write_text(kaleido.PageGenerator(plotly=str(PLOTLY_JS), mathjax=False).generate_index(),
                        encoding="utf-8")
        profile = root / "chromium"
        profile.mkdir(exist_ok=True)
        # Chromium's own TMPDIR (its singleton socket, shared-memory files) is our folder too — unless the
        # path is too long for the Unix socket Chromium makes in it; then Chromium keeps the inherited one.
        extra = {"browser_cls": _chromium_class(root)} if len(str(root)) <= MAX_SCRATCH_PATH else {}
        k = kaleido.Kaleido(n=self.tabs, timeout=self.timeout, page_generator=str(page), path=path,
                            tmp_dir=str(profile), **extra)
        try:
            await k.open()
        finally:
            proc = getattr(k, "subprocess", None)  # choreographer's Popen of the browser
            self._pgid = proc.pid if isinstance(proc, subprocess.Popen) else None
        self._pdf_tab = await k.create_tab(url="")
        await self._pdf_tab.send_command("Page.enable")
        self._pdf_lock = asyncio.Lock()
        self._kaleido = k

    def close(self, timeout: float = 20) -> None:
        """Stop Chromium (it can be started again): politely, then its whole process group by signal."""
        with self._lock:
            k, self._kaleido, self._pdf_tab = self._kaleido, None, None
            if k is not None and self._loop is not None and self._loop.is_running():
                try:
                    asyncio.run_coroutine_threadsafe(k.close(), self._loop).result(timeout=timeout)
                except Exception:  # noqa: BLE001 - closing is best effort; the group is killed below
                    pass
            self._kill_group()

    def _kill_group(self, grace: float = 3.0) -> None:
        """SIGTERM, then SIGKILL, to Chromium's process group (its wrapper, the browser and its helpers).

        Also to any process group whose command line names this browser's private folder: while a start is
        under way (a SIGTERM at boot, when production mode pre-warms the browser), Chromium runs but its
        process id is not known yet, and removing the folder under it would leave it running and writing."""
        pgid, self._pgid = self._pgid, None
        groups = {pgid} if pgid else set()
        for folder in self._folders():
            groups |= groups_using(folder)
        for group in groups:
            kill_process_group(group, grace)

    def shutdown(self, timeout: float = 20) -> None:
        """Close the browser, stop the loop thread and remove the private temp folder (atexit, signals)."""
        self.close(timeout=timeout)
        loop, thread = self._loop, self._thread
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5)
            self._loop = None
            self._thread = None
        self.remove_tmp()

    def _folders(self) -> set[Path]:
        return self._removed | ({self._tmp} if self._tmp is not None else set())

    def remove_tmp(self) -> None:
        folders, self._tmp = self._folders(), None
        self._removed |= folders
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    def emergency_stop(self) -> None:
        """For a signal handler: no locks, no event loop — kill the process group, remove the folder."""
        self._kaleido = None
        self._kill_group(grace=2.0)
        self.remove_tmp()

    # -- work ---------------------------------------------------------------------------------------
    def _enter(self) -> None:
        with self._busy:
            while self._restarting:  # a restart after a stopped render is under way: wait for it
                self._busy.wait(timeout=30)
            self._inflight += 1

    def _leave(self) -> None:
        with self._busy:
            self._inflight -= 1
            restart = self._suspect and self._inflight == 0
            if restart:
                self._suspect = False
                self._restarting = True
        if restart:  # a stopped render may have left a tab mid-navigation: start afresh
            try:
                self.restarts_after_timeout += 1
                self.close(timeout=10)
            finally:
                with self._busy:
                    self._restarting = False
                    self._busy.notify_all()

    def _run(self, make_coro, timeout: float):
        """Run ``make_coro(kaleido)`` on the loop within ``timeout`` s; restart a dead browser once."""
        self._enter()
        try:
            for attempt in (1, 2):
                self.start()
                fut = asyncio.run_coroutine_threadsafe(make_coro(self._kaleido), self._loop)
                try:
                    return fut.result(timeout=timeout)
                except ExportError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    if attempt == 1 and _is_browser_dead(exc):
                        self.close(timeout=5)
                        continue
                    if isinstance(exc, TimeoutError):  # asyncio's and concurrent.futures' are this class
                        fut.cancel()
                        with self._busy:
                            self._suspect = True
                        raise ExportError(f"Rendering took longer than {timeout:.0f} s and was stopped.",
                                          reason="timeout") from exc
                    raise ExportError(f"The export could not be rendered: {_one_line(exc)}") from exc
            raise ExportError("The export browser stopped unexpectedly.")  # pragma: no cover
        finally:
            self._leave()

    def render(self, fig: Any, fmt: str, width: int, height: int, scale: float = 1.0,
               timeout: float | None = None) -> bytes:
        """PNG/SVG/PDF bytes of ``fig`` at ``width``×``height`` CSS px (PNG pixels × ``scale``)."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        topojson = topojson_file_url()

        async def job(k):
            return await k.calc_fig(fig, opts=opts, topojson=topojson)

        return self._run(job, timeout or self.timeout)

    def render_many(self, items: Sequence[tuple[Any, str, int, int, float]],
                    timeout: float | None = None) -> list[bytes]:
        """Render several figures at once (the browser's tabs work in parallel); same order as ``items``.
        ``timeout`` bounds them all (default: the per-render limit per figure)."""
        topojson = topojson_file_url()

        async def job(k):
            return await asyncio.gather(*(
                k.calc_fig(fig, opts={"format": fmt, "width": w, "height": h, "scale": s}, topojson=topojson)
                for fig, fmt, w, h, s in items))

        return list(self._run(job, timeout or self.timeout * max(1, len(items))))

    def print_pdf(self, page_html: str, footer_html: str | None = None, timeout: float | None = None) -> bytes:
        """Print an HTML page to PDF (CSS ``@page`` decides the paper; backgrounds printed)."""
        limit = timeout or self.timeout
        folder = self._ensure_tmp() / "pages"
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="page-", suffix=".html", dir=folder)
        path = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page_html)
        url = path.resolve().as_uri()
        params: dict[str, Any] = {
            "printBackground": True,
            "preferCSSPageSize": True,
            "displayHeaderFooter": bool(footer_html),
            "headerTemplate": "<span></span>",
            "footerTemplate": footer_html or "<span></span>",
            "generateTaggedPDF": True,
            "generateDocumentOutline": True,
        }

        async def job(k):
            async with self._pdf_lock:
                tab = self._pdf_tab
                loaded = tab.subscribe_once("Page.loadEventFired")
                while loaded.done():  # drop a stale event
                    loaded = tab.subscribe_once("Page.loadEventFired")
                _check(await tab.send_command("Page.navigate", params={"url": url}))
                await asyncio.wait_for(loaded, limit)
                await _check_js(tab, "document.fonts.ready.then(() => true)")
                response = _check(await tab.send_command("Page.printToPDF", params=params))
                await tab.send_command("Page.navigate", params={"url": "about:blank"})
                return response["result"]["data"]

        try:
            return base64.b64decode(self._run(job, limit))
        finally:
            path.unlink(missing_ok=True)


def _check(response: dict) -> dict:
    if "error" in response:
        raise RuntimeError(f"DevTools error: {response['error'].get('message', response['error'])}")
    return response


async def _check_js(tab, expression: str) -> None:
    _check(await tab.send_command("Runtime.evaluate", params={"expression": expression, "awaitPromise": True}))


def _is_browser_dead(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception it came from) says the browser or its pipe is gone."""
    from choreographer.errors import (
        BrowserClosedError,
        BrowserFailedError,
        ChannelClosedError,
    )

    dead = (BrowserClosedError, BrowserFailedError, ChannelClosedError, BrokenPipeError)
    return any(isinstance(e, dead) for e in _chain(exc))


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _chromium_class(scratch: Path):
    """choreographer's Chromium, started with ``TMPDIR`` = ``scratch`` (``browser_cls`` of choreographer's
    Browser), so even the files Chromium puts in the temp folder itself are inside our private folder."""
    from choreographer.browsers import Chromium

    class PrivateTmpChromium(Chromium):
        def get_env(self):
            env = super().get_env()
            env["TMPDIR"] = str(scratch)
            return env

    return PrivateTmpChromium


def processes_using(folder: Path) -> list[int]:
    """Live (not zombie) processes whose command line names a path inside ``folder``: Chromium and its helpers
    started with a profile there (``--user-data-dir``). Read from ``/proc``; where there is none, none."""
    needle = os.fsencode(os.path.join(folder, ""))
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                if needle not in fh.read():
                    continue
            with open(f"/proc/{name}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue
        except (OSError, IndexError):  # gone meanwhile, or not ours to read
            continue
        found.append(int(name))
    return found


def groups_using(folder: Path) -> set[int]:
    """The process groups (other than this process's own) of :func:`processes_using` ``folder``; Chromium's
    helpers share the browser's group."""
    own = os.getpgrp()
    groups: set[int] = set()
    for pid in processes_using(folder):
        try:
            group = os.getpgid(pid)
        except OSError:
            continue
        if group != own:
            groups.add(group)
    return groups


def kill_process_group(pgid: int, grace: float = 3.0) -> None:
    """SIGTERM to a process group, SIGKILL after ``grace`` seconds if any member is left."""
    import time

    try:
        os.killpg(pgid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:  # reap the group leader if it is our child (a zombie still counts as a member)
            os.waitpid(pgid, os.WNOHANG)
        except ChildProcessError:
            pass
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_instances: weakref.WeakSet[ExportBrowser] = weakref.WeakSet()
_browser: ExportBrowser | None = None
_browser_lock = threading.Lock()


def get_browser() -> ExportBrowser:
    """The process-wide warm browser (created on first call, started on first render)."""
    global _browser
    with _browser_lock:
        if _browser is None:
            _browser = ExportBrowser()
        return _browser


def warm_up() -> bool:
    """Start the shared browser now (e.g. in a background thread at app start); False if unavailable."""
    try:
        get_browser().start()
        return True
    except ExportError:
        return False


def shutdown_all() -> None:
    """Shut every export browser of this process down and remove their folders (atexit)."""
    for browser in list(_instances):
        try:
            browser.shutdown(timeout=10)
        except Exception:  # noqa: BLE001 - at exit: do the rest anyway
            browser.emergency_stop()


def emergency_stop_all() -> None:
    """Kill every export browser's process group and remove their folders, without waiting on locks or
    the event loop (safe in a signal handler)."""
    for browser in list(_instances):
        browser.emergency_stop()


atexit.register(shutdown_all)
_HANDLED = (signal.SIGTERM, signal.SIGINT)
_installed: dict[int, Any] = {}


def install_shutdown_handlers() -> bool:
    """On SIGTERM and SIGINT, stop Chromium and remove the export temp folders, then hand the signal on to
    the handler that was installed before (gunicorn's, Python's KeyboardInterrupt) or, when there was none,
    to the default action (the process ends with that signal). Idempotent; only the main thread can
    install signal handlers (elsewhere: False, and ``atexit`` still cleans up on a normal exit)."""
    if threading.current_thread() is not threading.main_thread():
        return False
    for sig in _HANDLED:
        current = signal.getsignal(sig)
        if getattr(current, "_mipexr_export_cleanup", False):
            continue
        signal.signal(sig, _make_handler(current))
        _installed[sig] = current
    return True


def _make_handler(previous):
    def handler(signum, frame):
        emergency_stop_all()
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_IGN:
            return
        else:  # SIG_DFL (or unknown): end the process the way the signal would have
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    handler._mipexr_export_cleanup = True
    handler.previous = previous
    return handler
