"""The schema in an editor: yaml-language-server (the engine of VS Code's YAML extension) given what
`docgen schema` prints, through a `# yaml-language-server: $schema=` line, as the README says. Every
example and starter is clean, mistakes are marked on their lines with the schema's Chinese words,
hovering a key shows its Chinese description, and completion offers the keys of a mapping in order.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.source.starters import KINDS, LEDGER, starter_text

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
MODELINE = "# yaml-language-server: $schema=./docgen.schema.json\n"
Message = dict


class LanguageServer:
    """A yaml-language-server over stdio, spoken to in JSON-RPC as an editor does."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[Message] = queue.Queue()
        self.ids = iter(range(1, 10**6))
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}})
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while header := _header(stream):
            self.messages.put(json.loads(stream.read(int(header["content-length"]))))

    def _send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> object:
        ident = next(self.ids)
        self._send({"id": ident, "method": method, "params": params})
        return self.wait(lambda message: message.get("id") == ident and "method" not in message).get("result")

    def wait(self, wanted: Callable[[Message], bool], seconds: float = 30) -> Message:
        """The next message ``wanted`` picks; the server's own requests (its configuration) answered meanwhile."""
        while True:
            message = self.messages.get(timeout=seconds)
            if "method" in message and "id" in message:
                items = message["params"].get("items", []) if message["method"] == "workspace/configuration" else None
                self._send({"id": message["id"], "result": [{"validate": True}] * len(items) if items else None})
            elif wanted(message):
                return message

    def open(self, path: Path) -> list[tuple[int, str]]:
        """Open ``path``; its diagnostics as (line, message)."""
        uri = path.as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text(encoding="utf-8")}
        self.notify("textDocument/didOpen", {"textDocument": document})
        published = self.wait(
            lambda message: (
                message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
            )
        )
        return [(found["range"]["start"]["line"] + 1, found["message"]) for found in published["params"]["diagnostics"]]

    def at(self, method: str, path: Path, line: int, column: int) -> object:
        position = {"line": line - 1, "character": column - 1}
        return self.request(f"textDocument/{method}", {"textDocument": {"uri": path.as_uri()}, "position": position})

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


def _header(stream: object) -> dict[str, str]:
    lines = []
    while (line := stream.readline()) not in (b"\r\n", b""):
        lines.append(line.decode().strip())
    return dict(part.lower().split(": ", 1) for part in lines)


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LanguageServer, Path]]:
    if shutil.which("node") is None:
        pytest.skip("Node is not installed: yaml-language-server runs under Node (make test installs it)")
    if not SERVER.is_file():
        pytest.fail("yaml-language-server is not installed: run `make test` (npm ci from package-lock.json)")
    folder = tmp_path_factory.mktemp("editor")
    printed = CliRunner().invoke(main, ["schema"])
    assert printed.exit_code == 0, printed.output
    (folder / "docgen.schema.json").write_text(printed.output, encoding="utf-8")
    server = LanguageServer(folder)
    yield server, folder
    server.close()


def opened(editor: tuple[LanguageServer, Path], name: str, text: str) -> tuple[list[tuple[int, str]], Path]:
    server, folder = editor
    path = folder / name
    path.write_text(MODELINE + text, encoding="utf-8")
    return server.open(path), path


def test_every_example_and_starter_is_clean(editor: tuple[LanguageServer, Path]) -> None:
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").rglob("*.yaml"))}
    sources["report.yaml"] = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
    for kind in (kind for kind in KINDS if kind != LEDGER):
        for language in ("zh", "en"):
            sources[f"{KINDS[kind]}-{language}.yaml"] = starter_text(kind, language)
    for name, text in sources.items():
        assert opened(editor, name, text)[0] == [], name


BAD = """\
标题: 关于开展安全检查的通知
发文机关: 某某市应急管理局
成文日期: 2024年03月05日
版头:
  紧急程度: 很急
  发文字号: 某应急发2024第1号
正文:
- 小标题: 一、总体要求
  内容:
  - 问题: 责任落实不到位
    整改措施: [一是召开会议]
版记:
  印发机关: 某某市应急管理局办公室
签发: 张三
"""


def test_mistakes_are_marked_on_their_lines_in_chinese(editor: tuple[LanguageServer, Path]) -> None:
    found = dict(opened(editor, "bad.yaml", BAD)[0])  # lines counted with the modeline, the file's line 1
    assert "月、日不编虚位" in found[4]
    assert "特急" in found[6] and "加急" in found[6]
    assert "发文字号写作 济政发〔2023〕5号" in found[7]
    assert "标题不写序号" in found[9]
    assert "措施不写 一是、二是" in found[12]
    assert "印发日期" in found[14]  # 印发机关 without 印发日期
    assert "签发" in found[15]  # no such key
    assert len(found) == 7


def test_keys_in_two_languages_are_marked_at_the_other_one(editor: tuple[LanguageServer, Path]) -> None:
    found = opened(editor, "mixed.yaml", "标题: 通知\n发文机关: 某局\n成文日期: 2024-01-15\nnote: 此件公开发布\n")[0]
    assert [line for line, _message in found] == [5]


def test_hover_shows_the_chinese_description(editor: tuple[LanguageServer, Path]) -> None:
    server, _folder = editor
    path = opened(editor, "hover.yaml", "标题: 通知\n发文机关: 某局\n成文日期: 2024-01-15\n")[1]
    assert "标题（7.3.1）：一段文字" in _hover_text(server.at("hover", path, 2, 2))
    assert "成文日期（7.3.5.4）：2023-04-25" in _hover_text(server.at("hover", path, 4, 2))


def _hover_text(hover: object) -> str:
    """The text of a hover's Markdown, its escapes (7\\.3\\.1) undone."""
    assert isinstance(hover, dict), hover
    return re.sub(r"\\(.)", r"\1", hover["contents"]["value"])


def test_completion_offers_a_mappings_keys_in_order(editor: tuple[LanguageServer, Path]) -> None:
    server, _folder = editor
    path = opened(editor, "complete.yaml", "标题: 通知\n发文机关: 某局\n成文日期: 2024-01-15\n版头:\n  ")[1]
    offered = server.at("completion", path, 6, 3)
    labels = [item["label"] for item in (offered["items"] if isinstance(offered, dict) else offered)]
    assert labels == ["份号", "密级", "紧急程度", "发文机关标志", "标志后缀", "发文字号", "签发人"]
