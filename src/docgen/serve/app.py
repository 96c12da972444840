"""The web application of `docgen serve`: the page and its static files, and the JSON interface the page
uses (the contract is in docs/serve.md). Requests are answered on the event loop; all the pipeline's work
is done by the Workshop's workers, in the job folders of JobFolders."""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen import __version__
from docgen.errors import DocgenError, SourceError
from docgen.i18n import _
from docgen.render import FORMATS
from docgen.serve import work
from docgen.serve.folders import ImageStore, JobFolders, UnknownImage, UnknownJob
from docgen.serve.guard import BodyTooLarge, Guard, Rules
from docgen.serve.work import Busy, Settings, Workshop

STATIC = resources.files("docgen.serve") / "static"
NOTICE_SUFFIXES = (".txt", ".docx", ".md", ".markdown", ".html", ".htm")  # what /api/import takes
LEDGER_SUFFIXES = (".yaml", ".yml", ".xlsx")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
MAX_NAME_BYTES = 200  # a file name's, well inside the file system's 255
MAX_IMAGES = 50  # the seals one preview may name: joint documents of many organs have as many seals
IMAGE_TYPES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"))  # anything else stored is a checked SVG
READ_CHUNK = 1 << 20
PAGE_WIDTHS = (200, 2000)  # a page image's width in pixels, at least and at most
PAGE_WIDTH_STEP = 100  # widths are rounded to this, so the images a pane asks for are made once
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
LOG = logging.getLogger("docgen.serve")


@dataclass(frozen=True)
class Config:
    settings: Settings
    rules: Rules
    workdir: Path
    workers: int


class _Revalidated(StaticFiles):
    """The page's scripts and styles, asked for again each time (a 304 while unchanged): a browser keeps
    no old script after docgen is upgraded."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = "no-cache"
        return response


class Refused(DocgenError):
    """A request docgen can't serve, with the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def create_app(config: Config) -> Guard:
    state = _State(config)
    routes = [
        Route("/", state.index),
        Route("/healthz", state.health),
        Route("/api/info", state.info),
        Route("/api/schema", state.schema),
        Route("/api/starters/{kind}", state.starter),
        Route("/api/import", state.import_notice, methods=["POST"]),
        Route("/api/preview", state.preview, methods=["POST"]),
        Route("/api/progress", state.progress, methods=["POST"]),
        Route("/api/images", state.add_image, methods=["POST"]),
        Route("/api/images/{image}", state.image),
        Route("/api/jobs/{job}/pages/{number:int}.png", state.page),
        Route("/api/jobs/{job}/check", state.check),
        Route("/api/jobs/{job}/files/{fmt}", state.download),
        Mount("/static", _Revalidated(directory=str(STATIC)), name="static"),
    ]
    handlers = {
        DocgenError: state.failed,
        BodyTooLarge: state.too_large,
        UnknownJob: state.unknown_job,
        UnknownImage: state.unknown_image,
        Exception: state.broken,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=state.lifespan)  # type: ignore[arg-type]
    return Guard(app, config.rules)


class _State:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.folders = JobFolders(config.workdir / "jobs")
        self.images = ImageStore(config.workdir / "images")
        self.workshop = Workshop(config.settings, config.workers)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        await self.workshop.warm_up()  # the server answers once its workers are ready
        try:
            yield
        finally:  # the workers stopped and the jobs' files gone with the server
            self.workshop.shutdown()
            self.folders.remove_all()
            self.images.remove_all()
            with contextlib.suppress(OSError):  # the server's own folder, empty now
                self.config.workdir.rmdir()

    # Pages and facts

    async def index(self, _request: Request) -> Response:
        return FileResponse(str(STATIC / "index.html"), headers={"cache-control": "no-cache"})

    async def health(self, _request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def info(self, _request: Request) -> Response:
        from docgen.source.starters import KINDS

        grid = work.profile_of(self.config.settings).grid
        return JSONResponse(
            {
                "version": __version__,
                "kinds": list(KINDS),
                "formats": list(FORMATS),
                "limits": {
                    "upload_bytes": self.config.rules.upload_bytes,
                    "source_bytes": self.config.settings.limits.max_source_bytes,
                    "image_bytes": self.config.settings.limits.max_image_bytes,
                },
                "grid": {"lines": grid.lines_per_page, "chars": grid.chars_per_line},
            }
        )

    async def schema(self, _request: Request) -> Response:
        from docgen.source.schema import schema_text

        return Response(schema_text(), media_type="application/schema+json")

    async def starter(self, request: Request) -> Response:
        from docgen.source import keys
        from docgen.source.starters import KINDS, LEDGER, starter_text

        kind = request.path_params["kind"]
        if kind not in KINDS:
            raise Refused(404, _("no starter '{kind}': one of {kinds}").format(kind=kind, kinds="、".join(KINDS)))
        return JSONResponse({"source": starter_text(kind, keys.CHINESE), "syntax": "yaml", "ledger": kind == LEDGER})

    # Work

    async def import_notice(self, request: Request) -> Response:
        _job, folder = self.folders.new()
        async with request.form(max_files=1, max_fields=4) as form:
            upload, text = form.get("file"), form.get("text")
            if isinstance(upload, UploadFile):
                name = _upload_name(upload, NOTICE_SUFFIXES)
                notice = folder / f"notice{Path(name).suffix.lower()}"
                await self._save(upload, notice)
            elif isinstance(text, str) and text.strip():
                name, notice = _("the pasted text"), folder / "notice.txt"
                notice.write_text(text, encoding="utf-8")
            else:
                raise Refused(400, _("nothing to import: paste the notice's text or choose a file"))
        result = await self._work(work.import_notice, notice, name, shown={folder / notice.name: name})
        return JSONResponse(result)

    async def preview(self, request: Request) -> Response:
        body = await _json_body(request)
        source, syntax = body.get("source"), body.get("syntax", "yaml")
        if not isinstance(source, str) or syntax not in work.SOURCE_FILES:
            raise Refused(400, _('expected a JSON object of "source" (the text) and "syntax" ("yaml" or "markdown")'))
        encoded = source.encode("utf-8")
        if len(encoded) > self.config.settings.limits.max_source_bytes:
            raise Refused(413, _("the source is larger than this server's limit for a source"))
        images = body.get("images") or {}
        if not isinstance(images, dict) or len(images) > MAX_IMAGES:
            raise Refused(400, _('"images" must map at most {count} image names to their ids').format(count=MAX_IMAGES))
        job, folder = self.folders.new()
        for name, image in images.items():
            self._place_image(folder, name, image)
        (folder / work.SOURCE_FILES[syntax]).write_bytes(encoded)
        (folder / "syntax").write_text(syntax, encoding="utf-8")
        result = await self._work(work.preview, folder, syntax, shown={folder / work.SOURCE_FILES[syntax]: _("source")})
        return JSONResponse({"job": job, **result})

    async def progress(self, request: Request) -> Response:
        _job, folder = self.folders.new()
        async with request.form(max_files=2, max_fields=6) as form:
            ledger, earlier = form.get("ledger"), form.get("previous")
            if not isinstance(ledger, UploadFile):
                raise Refused(400, _("choose the ledger (.yaml or .xlsx) to make the update from"))
            shown: dict[Path, str] = {}
            ledger_path = await self._keep(ledger, folder, "ledger", shown)
            previous = None
            if isinstance(earlier, UploadFile):
                previous = str(await self._keep(earlier, folder, "previous", shown))
            day_text = form.get("previous_day")
            if previous is None and isinstance(day_text, str) and _DAY.fullmatch(day_text):
                previous = day_text
            as_of = _day(form.get("as_of"))
            table = form.get("table") in ("1", "true", "on")
        result = await self._work(work.progress, ledger_path, previous, as_of, table, shown=shown)
        return JSONResponse(result)

    async def add_image(self, request: Request) -> Response:
        """A seal image for the sources to name: checked as a source's image is, kept by its content."""
        _job, folder = self.folders.new()
        async with request.form(max_files=1, max_fields=2) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise Refused(400, _("choose an image (.png, .jpg or .svg) to upload"))
            name = _upload_name(upload, IMAGE_SUFFIXES)
            stored = folder / f"image{Path(name).suffix.lower()}"
            await self._save(upload, stored)
        size = await self._work(work.check_image, stored, name, shown={stored: name})
        image = self.images.add(stored.read_bytes())
        return JSONResponse({"name": name, "id": image, "width": size["width"], "height": size["height"]})

    async def image(self, request: Request) -> Response:
        path = self.images.path(request.path_params["image"])
        head = path.read_bytes()[:4]
        media = next((kind for magic, kind in IMAGE_TYPES if head.startswith(magic)), "image/svg+xml")
        # An SVG opened by itself is a document: sandboxed, it runs nothing (it was checked for scripts too).
        headers = {"content-security-policy": "sandbox", "cache-control": "private, max-age=86400"}
        return FileResponse(str(path), media_type=media, headers=headers)

    def _place_image(self, folder: Path, name: object, image: object) -> None:
        if not isinstance(name, str) or not isinstance(image, str) or _name_problem(name, IMAGE_SUFFIXES):
            raise Refused(400, _name_problem(str(name), IMAGE_SUFFIXES) or _("an image's id is text"))
        try:
            self.images.copy_into(folder, name, image)
        except UnknownImage:
            raise _MissingImage(name) from None

    async def page(self, request: Request) -> Response:
        folder = self.folders.path(request.path_params["job"])
        width = _page_width(request.query_params.get("width", "800"))
        image = await self._work(work.page_image, folder, request.path_params["number"], width)
        return FileResponse(str(image), media_type="image/png", headers={"cache-control": "private, max-age=3600"})

    async def check(self, request: Request) -> Response:
        folder = self.folders.path(request.path_params["job"])
        return JSONResponse(await self._work(work.check, folder, shown={folder / work.PDF_FILE: "PDF"}))

    async def download(self, request: Request) -> Response:
        folder = self.folders.path(request.path_params["job"])
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            raise Refused(404, _("no format '{fmt}': one of {formats}").format(fmt=fmt, formats=", ".join(FORMATS)))
        syntax = (folder / "syntax").read_text(encoding="utf-8")
        # The web notice of a document not to be published is refused, as `docgen build` refuses it.
        built = await self._work(work.build_format, folder, syntax, fmt, refused=403 if fmt == "html" else 422)
        title = (folder / work.TITLE_FILE).read_text(encoding="utf-8")
        return FileResponse(str(built), filename=f"{_file_stem(title)}.{fmt}")

    async def _work(self, task: Any, *args: Any, shown: dict[Path, str] | None = None, refused: int = 422) -> Any:
        """``task(settings, *args)`` done by a worker; its errors become answers naming the user's names."""
        try:
            return self._shown_in(await self.workshop.run(task, *args), shown or {})
        except SourceError as error:
            raise _Located(error, self._shown(error.message, shown or {})) from None
        except DocgenError as error:
            raise Refused(503 if isinstance(error, Busy) else refused, self._shown(str(error), shown or {})) from None

    def _shown_in(self, result: Any, shown: dict[Path, str]) -> Any:
        """``result`` with every text in it naming the user's names (a ledger diff names its files)."""
        if isinstance(result, str):
            return self._shown(result, shown)
        if isinstance(result, list):
            return [self._shown_in(value, shown) for value in result]
        if isinstance(result, dict):
            return {key: self._shown_in(value, shown) for key, value in result.items()}
        return result

    def _shown(self, message: str, shown: dict[Path, str]) -> str:
        """A message naming the names the user knows: their file's, not the job folder's paths."""
        for path, name in shown.items():
            message = message.replace(str(path), name)
        return re.sub(re.escape(str(self.folders.root)) + r"/[0-9a-f]{32}/", "", message)

    async def _keep(self, upload: UploadFile, folder: Path, stem: str, shown: dict[Path, str]) -> Path:
        name = _upload_name(upload, LEDGER_SUFFIXES)
        target = folder / f"{stem}{Path(name).suffix.lower()}"
        await self._save(upload, target)
        shown[target] = name
        return target

    async def _save(self, upload: UploadFile, target: Path) -> None:
        """The upload written to ``target`` a chunk at a time, refused past the upload limit."""
        written = 0
        with target.open("wb") as out:
            while chunk := await upload.read(READ_CHUNK):
                written += len(chunk)
                if written > self.config.rules.upload_bytes:
                    raise BodyTooLarge
                out.write(chunk)

    # Errors, as the page shows them: a message in the interface's language, and a line where there is one

    async def failed(self, _request: Request, error: Exception) -> Response:
        if isinstance(error, _MissingImage):
            answer = {"error": {"message": str(error), "line": None, "column": None, "image": error.name}}
            return JSONResponse(answer, status_code=422)
        if isinstance(error, _Located):
            location = error.error.location
            return _error(422, error.message, location.line, location.column)
        return _error(getattr(error, "status", 422), str(error))

    async def too_large(self, _request: Request, _error_: Exception) -> Response:
        limit = self.config.rules.upload_bytes / 2**20
        return _error(413, _("the upload is larger than {megabytes:g} MB, this server's limit").format(megabytes=limit))

    async def broken(self, _request: Request, error: Exception) -> Response:
        """A bug: the page still gets a message it can show (the server's log has the traceback)."""
        LOG.exception("docgen serve: internal error", exc_info=error)
        return _error(500, _("internal error: {name}: {error}").format(name=type(error).__name__, error=error))

    async def unknown_image(self, _request: Request, _error_: Exception) -> Response:
        return _error(404, _("this image is not on the server (any more): upload it again"))

    async def unknown_job(self, _request: Request, _error_: Exception) -> Response:
        return _error(404, _("this preview is gone (the server keeps the newest only): edit or preview again"))


class _MissingImage(DocgenError):
    """A preview names an uploaded image the server no longer has (restarted, or dropped as the oldest)."""

    def __init__(self, name: str) -> None:
        super().__init__(_("upload the image {name} again: the server no longer has it").format(name=name))
        self.name = name


class _Located(DocgenError):
    def __init__(self, error: SourceError, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


def _error(status: int, message: str, line: int | None = None, column: int | None = None) -> Response:
    return JSONResponse({"error": {"message": message, "line": line, "column": column}}, status_code=status)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise Refused(400, _('expected a JSON object of "source" (the text) and "syntax" ("yaml" or "markdown")'))
    return body


def _upload_name(upload: UploadFile, suffixes: tuple[str, ...]) -> str:
    """The upload's own name, shown in messages: refused if it holds a folder or is of another kind."""
    name = upload.filename or ""
    if problem := _name_problem(name, suffixes):
        raise Refused(415 if _plain_name(name) else 400, problem)
    return name


def _name_problem(name: str, suffixes: tuple[str, ...]) -> str | None:
    """Why ``name`` is not a plain file name of one of ``suffixes``, or None."""
    if not _plain_name(name):
        return _("a file name with a folder in it is refused: {name}").format(name=name[:200])
    if Path(name).suffix.lower() not in suffixes:
        kinds = " ".join(suffixes)
        return _("{name}: not a file docgen reads here; expected {kinds}").format(name=name[:200], kinds=kinds)
    return None


def _plain_name(name: str) -> bool:
    """A file's name alone: no folder, nothing hidden or special (the only names written into a job folder
    from a request are images' names, so that the source can name them)."""
    plain = bool(name) and not any(part in name for part in ("/", "\\", "\0")) and not name.startswith(".")
    return plain and len(name.encode("utf-8")) <= MAX_NAME_BYTES


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(400, _("'{value}' is not a date YYYY-MM-DD").format(value=value[:40])) from None


def _page_width(value: str) -> int:
    if not value.isdigit():
        raise Refused(400, _("a page's width is a number of pixels"))
    low, high = PAGE_WIDTHS
    stepped = round(int(value) / PAGE_WIDTH_STEP) * PAGE_WIDTH_STEP
    return min(max(stepped, low), high)


def _file_stem(title: str) -> str:
    """A download's name: the title, without what a file system or a mail client can't take."""
    stem = re.sub(r'[\\/:*?"<>|\0-\x1f]', "", title).strip(". ")[:60]
    return stem or "docgen"
