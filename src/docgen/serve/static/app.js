// docgen 公文排版: the page's parts (editor, completion, preview, import, 整改进展, seal images, downloads)
// wired together. The editor's text and the uploaded images' names are kept in localStorage, so a reload
// (or a closed tab) keeps the work.

import { download, extensionOf, getJson, saveBlob } from "./api.js";
import { Completion, SchemaKeys } from "./completion.js";
import { SourceEditor } from "./editor.js";
import { IMAGE_FILES, Images, imagesNamedIn, isImageFile } from "./images.js";
import { IMPORTABLE, Importer } from "./importer.js";
import { Preview } from "./preview.js";
import { Progress } from "./progress.js";

const $ = (selector) => document.querySelector(selector);
const STORED = { source: "docgen.source", syntax: "docgen.syntax", mode: "docgen.mode" };
const FORMATS = { docx: "DOCX", pdf: "PDF", ofd: "OFD", html: "网页" };
const LEDGER_FILES = [".yaml", ".yml", ".xlsx"];

const state = {
  mode: localStorage.getItem(STORED.mode) === "ledger" ? "ledger" : "document", // a ledger is never previewed
  info: { kinds: [], formats: Object.keys(FORMATS), limits: {}, grid: { lines: 22, chars: 28 } },
  result: null, // the latest preview answer
};

const syntaxSelect = $("#syntax");
const errorBar = $("#error-bar");
const errorJump = errorBar.querySelector(".error-jump");
let errorAt = null; // {line, column} the error bar leads to

const NOTICE_MS = 8000; // how long a note of what was done stays (an error stays until the next note)
let noticeTimer = 0;

function notify(message, kind = "info") {
  const status = $("#status-message");
  status.textContent = message;
  status.title = message;
  status.classList.toggle("error", kind === "error");
  clearTimeout(noticeTimer);
  if (kind !== "error" && message) noticeTimer = setTimeout(() => (status.textContent = ""), NOTICE_MS);
}

const editor = new SourceEditor($("#editor"), $("#gutter"), { onEdit: edited });

// The lines completion reads as YAML: the whole source, or a Markdown source's front matter.
function yamlRegion() {
  const lines = editor.lines();
  if (syntaxSelect.value === "yaml") return [0, lines.length - 1];
  if (lines[0] !== "---") return null;
  const end = lines.indexOf("---", 1);
  return [1, end === -1 ? lines.length - 1 : end - 1];
}

let completion = null; // once the schema has come

const preview = new Preview({
  pages: $("#preview"),
  findings: $("#findings"),
  grid: state.info.grid,
  onResult: previewed,
  onError: refused,
  onStatus: showStatus,
});

function store() {
  localStorage.setItem(STORED.source, editor.value);
  localStorage.setItem(STORED.syntax, syntaxSelect.value);
  localStorage.setItem(STORED.mode, state.mode);
}

function edited(change) {
  store();
  completion?.edited(change);
  if (!change.composing) refresh(false);
}

// Preview what the editor holds (at once, or after the pause in typing), or say why there is none.
function refresh(atOnce) {
  const empty = editor.value.trim() === "";
  $("#welcome").hidden = !(empty && state.mode === "document");
  $("#ledger-note").hidden = state.mode !== "ledger";
  if (empty || state.mode === "ledger") {
    state.result = null;
    preview.clear();
    showError(null);
    showRemarks({});
    $("#preview-title").textContent = "";
    updateDownloads();
    return;
  }
  updateDownloads();
  const request = { source: editor.value, syntax: syntaxSelect.value, images: images.named() };
  if (atOnce) preview.now(request);
  else preview.schedule(request);
}

// A source from elsewhere (a starter, an import, an update) in the editor, previewed at once.
function loadSource(text, syntax, mode, done) {
  state.mode = mode;
  syntaxSelect.value = syntax === "markdown" ? "markdown" : "yaml";
  editor.replaceAll(text);
  completion?.close();
  store();
  refresh(true);
  notify(`${done}（Ctrl+Z 可撤销）`);
}

function previewed(result) {
  state.result = result;
  showError(null);
  showRemarks(result);
  $("#preview-title").textContent = result.title ? `《${result.title}》` : "";
  updateDownloads();
}

// Lint's remarks on the source, each marked in the gutter and leading to its line; the build's notes
// beside them.
function showRemarks(result) {
  editor.setMarks("lint", (result.lint || []).map((entry) => entry.line).filter(Boolean));
  const remarks = [...(result.notes || []).map((text) => ({ line: null, text })), ...(result.lint || [])];
  const list = $("#source-notes");
  list.replaceChildren(
    ...remarks.map((remark) => {
      const item = document.createElement("li");
      if (remark.line) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        button.textContent = `第 ${remark.line} 行：${remark.text}`;
        button.addEventListener("click", () => editor.goTo(remark.line, 1));
        item.append(button);
      } else {
        item.textContent = remark.text;
      }
      return item;
    }),
  );
  list.closest("details").hidden = remarks.length === 0;
  list.closest("details").querySelector("summary").textContent = `源文件提示（${remarks.length}）`;
}

function refused(error) {
  if (error.image) images.forget(error.image); // the server no longer has it: to be uploaded again
  showError(error);
  const note = $("#preview-note");
  note.textContent = state.result
    ? "源文件有错（见左下方红条），这里仍是上一次排版的结果。"
    : "源文件有错（见左下方红条）：改好后，这里显示排版的结果。";
  note.hidden = false;
}

// The error under the editor (and its line marked in the gutter), or none.
function showError(error) {
  $("#preview-note").hidden = true;
  errorAt = error && error.line ? { line: error.line, column: error.column || 1 } : null;
  editor.setMarks("error", errorAt ? [errorAt.line] : []);
  editor.textarea.setAttribute("aria-invalid", String(Boolean(error)));
  showImageHint(error);
  if (!error) {
    errorBar.hidden = true;
    return;
  }
  const named = errorAt && !error.message.includes(`第 ${errorAt.line} 行`);
  errorJump.textContent = named ? `第 ${errorAt.line} 行：${error.message}` : error.message;
  errorJump.title = errorAt ? "点击转到这一行" : "";
  errorBar.hidden = false;
}

// An error over an image: one the source names that was never uploaded (the loader's message names the
// file), or one the server no longer has (``error.image``); the hint leads to the panel.
function showImageHint(error) {
  const hint = $("#image-hint");
  const missing = error && !error.image ? imagesNamedIn(error.message).filter((name) => !images.has(name)) : [];
  let text = "";
  if (error?.image) text = `请重新上传印章图片：${error.image}`;
  else if (missing.length) text = `源文件用到印章图片 ${missing.join("、")}，请先在“印章图片”中上传`;
  hint.querySelector(".image-hint-text").textContent = text;
  hint.dataset.image = error?.image || missing.join(" ");
  hint.hidden = !text;
}

$("#image-hint .image-hint-open").addEventListener("click", () => images.open());

errorJump.addEventListener("click", () => {
  if (errorAt) editor.goTo(errorAt.line, errorAt.column);
  else editor.textarea.focus();
});

// The status line: ``pages`` null when nothing is shown, ``checking`` while the check runs.
function showStatus({ busy, pages, checking, grid, gridOk }) {
  const gridStatus = $("#status-grid");
  if (busy !== undefined) $("#status-busy").textContent = busy ? "排版中…" : "";
  if (pages !== undefined) $("#status-pages").textContent = pages === null ? "" : `共 ${pages} 页`;
  if (pages === null) gridStatus.textContent = "";
  if (checking) {
    gridStatus.textContent = "检查中…";
    gridStatus.className = "checking";
  } else if (grid !== undefined) {
    gridStatus.textContent = grid;
    gridStatus.className = gridOk ? "ok" : "warn";
  }
}

// Each download button: usable when there is a document; 网页 only when the document may be published.
function updateDownloads() {
  const hasDocument = state.mode === "document" && editor.value.trim() !== "";
  const reasonNone = state.mode === "ledger" ? "编辑器里是整改台账：先点「整改进展」生成通报" : "编辑器中还没有公文";
  for (const [format, label] of Object.entries(FORMATS)) {
    const button = $(`#download-${format}`);
    const served = state.info.formats.includes(format);
    let reason = !hasDocument ? reasonNone : !served ? `此服务不生成 ${label}` : "";
    if (!reason && format === "html" && state.result && state.result.web_notice) reason = state.result.web_notice;
    button.disabled = reason !== "";
    button.title = reason || `下载 ${label} 文件`;
  }
  const webNotice = $("#web-notice");
  const notice = hasDocument && state.result ? state.result.web_notice : null;
  webNotice.hidden = !notice;
  webNotice.textContent = notice ? `不提供网页版：${notice}` : "";
  webNotice.title = notice || "";
}

async function downloadAs(format, button) {
  button.setAttribute("aria-busy", "true");
  notify(`正在生成 ${FORMATS[format]}…`);
  try {
    const result = await preview.ready();
    const name = await download(`api/jobs/${result.job}/files/${format}`, `${result.title || "公文"}.${format}`);
    notify(`已下载 ${name}`);
  } catch (error) {
    if (error.name !== "AbortError") notify(`未能下载 ${FORMATS[format]}：${error.message}`, "error");
  } finally {
    button.removeAttribute("aria-busy");
  }
}

for (const format of Object.keys(FORMATS)) {
  const button = $(`#download-${format}`);
  button.addEventListener("click", () => downloadAs(format, button));
}

function saveSource() {
  const extension = syntaxSelect.value === "markdown" ? "md" : "yaml";
  const name = state.mode === "ledger" ? "整改台账" : (state.result && state.result.title) || "公文";
  saveBlob(new Blob([editor.value], { type: "text/plain;charset=utf-8" }), `${name}.${extension}`);
}

$("#save-source").addEventListener("click", saveSource);
document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
    event.preventDefault();
    saveSource();
  }
});

syntaxSelect.addEventListener("change", () => {
  store();
  refresh(true);
});

const images = new Images({
  toggle: $("#images-open"),
  panel: $("#images-panel"),
  input: $("#image-input"),
  limits: state.info.limits,
  onChange: () => refresh(true),
  onInsert: (name) => editor.replaceRange(editor.textarea.selectionStart, editor.textarea.selectionEnd, name),
  notify,
});

const importer = new Importer({
  dialog: $("#import-dialog"),
  text: $("#import-text"),
  submit: $("#import-submit"),
  fileInput: $("#file-input"),
  panel: $("#import-panel"),
  accept: $("#import-accept"),
  limits: state.info.limits,
  onAccept: (result) => loadSource(result.source, result.syntax, "document", "导入的源文件已放入编辑器"),
  notify,
});
$("#import-open").addEventListener("click", () => importer.open());

const progress = new Progress({
  dialog: $("#progress-dialog"),
  ledgerInput: $("#ledger-input"),
  previousInput: $("#previous-input"),
  asOf: $("#as-of"),
  table: $("#table"),
  submit: $("#progress-submit"),
  panel: $("#progress-panel"),
  editorLedger: () => (state.mode === "ledger" ? editor.value : null),
  onSource: (result) => loadSource(result.source, result.syntax, "document", "整改进展情况的源文件已放入编辑器"),
  notify,
});
$("#progress-open").addEventListener("click", () => progress.open());

for (const dialog of document.querySelectorAll("dialog")) {
  dialog.querySelector(".dialog-cancel").addEventListener("click", () => dialog.close());
}

$("#new-kind").addEventListener("change", async (event) => {
  const kind = event.target.value;
  event.target.value = "";
  if (!kind) return;
  try {
    const starter = await getJson(`api/starters/${encodeURIComponent(kind)}`);
    const done = starter.ledger ? "整改台账的起始稿已放入编辑器：改好后点「整改进展」" : `${kind}的起始稿已放入编辑器`;
    loadSource(starter.source, starter.syntax, starter.ledger ? "ledger" : "document", done);
  } catch (error) {
    notify(error.message, "error");
  }
});

// A file dropped anywhere (images aside): a notice to import, a ledger for 整改进展, or a YAML source to edit.
async function dropped(file) {
  const extension = extensionOf(file.name);
  if (IMPORTABLE.includes(extension)) return importer.upload(file);
  if (!LEDGER_FILES.includes(extension)) {
    const readable = [...IMPORTABLE, ...LEDGER_FILES, ...IMAGE_FILES].join("、");
    return notify(`「${file.name}」不是 docgen 能读的文件：请用 ${readable}。`, "error");
  }
  if (extension === ".xlsx") return progress.open(file);
  const text = await file.text();
  if (/^groups\s*:/m.test(text) && /^as_of\s*:/m.test(text)) return progress.open(file);
  loadSource(text, "yaml", "document", `「${file.name}」已放入编辑器`);
}

const overlay = $("#drop-overlay");
const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");
document.addEventListener("dragover", (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  overlay.hidden = false;
});
document.addEventListener("dragleave", (event) => {
  if (!event.relatedTarget) overlay.hidden = true;
});
document.addEventListener("drop", (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  overlay.hidden = true;
  const files = [...event.dataTransfer.files];
  const pictures = files.filter(isImageFile); // the seal images, all of them; of the rest, the first
  if (pictures.length) images.upload(pictures);
  const other = files.find((file) => !isImageFile(file));
  if (other) dropped(other);
});

function fillKinds(kinds) {
  const select = $("#new-kind");
  for (const kind of kinds) {
    const option = document.createElement("option");
    option.value = kind;
    option.textContent = kind === "整改进展" ? "整改进展（台账）" : kind;
    select.append(option);
  }
}

async function start() {
  editor.textarea.value = localStorage.getItem(STORED.source) || "";
  syntaxSelect.value = localStorage.getItem(STORED.syntax) === "markdown" ? "markdown" : "yaml";
  editor.render();
  try {
    Object.assign(state.info, await getJson("api/info"));
  } catch (error) {
    notify(error.message, "error");
    showError(error);
    return;
  }
  preview.grid = state.info.grid;
  importer.limits = state.info.limits;
  images.limits = state.info.limits;
  fillKinds(state.info.kinds);
  refresh(true);
  try {
    completion = new Completion(editor, $("#completion"), new SchemaKeys(await getJson("api/schema")), {
      region: yamlRegion,
    });
  } catch (error) {
    notify(`键名提示不可用：${error.message}`, "error");
  }
}

start();
