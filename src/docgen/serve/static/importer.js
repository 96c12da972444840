// 导入: pasted text or a dropped/chosen file sent to /api/import, and the panel that shows what docgen
// made of each of the notice's lines (its guesses marked 待核) before the clerk adopts the source.

import { extensionOf, postFromDialog } from "./api.js";

export const IMPORTABLE = [".txt", ".docx", ".md", ".markdown", ".html", ".htm"];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// A report entry beside its own line need not repeat "第 N 行：".
function withoutOwnLine(text, line) {
  const own = new RegExp(`^\\s*第\\s*${line}(?:\\s*[–-]\\s*\\d+)?\\s*行[：:，,]\\s*`);
  return line === null ? text : text.replace(own, "");
}

function entryItem(entry, line) {
  const item = element("li", entry.unsure ? "entry unsure" : "entry");
  if (entry.unsure) item.append(element("span", "badge", "待核"));
  item.append(element("span", "entry-text", withoutOwnLine(entry.text, line)));
  return item;
}

export class Importer {
  // ``onAccept(result)`` puts the source in the editor; ``notify(message)`` tells the clerk.
  constructor({ dialog, text, submit, fileInput, panel, accept, limits, onAccept, notify }) {
    this.dialog = dialog;
    this.text = text;
    this.panel = panel;
    this.limits = limits;
    this.onAccept = onAccept;
    this.notify = notify;
    this.result = null;
    this.error = dialog.querySelector(".dialog-error");
    submit.addEventListener("click", () => this.pasted());
    fileInput.addEventListener("change", () => {
      if (fileInput.files[0]) this.upload(fileInput.files[0]);
      fileInput.value = "";
    });
    accept.addEventListener("click", () => this.accept());
    this.nextUnsure = panel.querySelector("#import-next-unsure");
    this.nextUnsure.addEventListener("click", () => this.showNextUnsure());
    panel.querySelector(".panel-close").addEventListener("click", () => this.hidePanel());
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.hidePanel();
    });
  }

  open() {
    this.error.hidden = true;
    this.dialog.showModal();
    this.text.focus();
  }

  async pasted() {
    const text = this.text.value;
    if (!text.trim()) {
      this.showError("请先把公文的文字粘贴到上面的框里。");
      return;
    }
    const form = new FormData();
    form.append("text", text);
    await this.send(form);
  }

  // A chosen or dropped file; refused here when it is plainly too large or of a kind docgen can't read.
  async upload(file) {
    if (!IMPORTABLE.includes(extensionOf(file.name))) {
      this.fail(`「${file.name}」不是可导入的文件：请用 ${IMPORTABLE.join("、")} 文件。`);
      return;
    }
    if (this.limits.upload_bytes && file.size > this.limits.upload_bytes) {
      this.fail(`「${file.name}」超过上传上限（${Math.floor(this.limits.upload_bytes / 1048576)} MB）。`);
      return;
    }
    const form = new FormData();
    form.append("file", file, file.name);
    await this.send(form);
  }

  fail(message) {
    if (this.dialog.open) this.showError(message);
    else this.notify(message, "error");
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  async send(form) {
    const result = await postFromDialog(this.dialog, "api/import", form, {
      doing: "正在识别公文…",
      notify: this.notify,
      fail: (message) => this.fail(message),
    });
    if (!result) return;
    this.result = result;
    if (this.dialog.open) this.dialog.close();
    this.showPanel(result);
  }

  showPanel(result) {
    const byLine = new Map();
    const general = [];
    for (const entry of result.report) {
      const line = entry.line ?? 0; // an entry of no line (or of none the notice has) is about the whole
      if (line < 1 || line > result.lines.length) general.push(entry);
      else byLine.set(line, [...(byLine.get(line) || []), entry]);
    }
    const unsure = result.report.filter((entry) => entry.unsure).length;
    this.panel.querySelector(".import-count").textContent = `${result.report.length} 处判断，其中 ${unsure} 处待核`;
    const generalList = this.panel.querySelector(".import-general");
    generalList.replaceChildren(...general.map((entry) => entryItem(entry, null)));
    generalList.hidden = general.length === 0;
    const rows = result.lines.map((text, index) => this.lineRow(index + 1, text, byLine.get(index + 1) || []));
    this.panel.querySelector(".import-lines").replaceChildren(...rows.filter(Boolean));
    this.nextUnsure.hidden = unsure === 0;
    this.unsureShown = -1;
    this.panel.hidden = false;
    this.panel.querySelector("#import-accept").focus();
  }

  // Each guess in turn, scrolled into view: the lines a clerk must compare with the original.
  showNextUnsure() {
    const rows = [...this.panel.querySelectorAll(".import-line.unsure, .import-general .entry.unsure")];
    if (!rows.length) return;
    this.unsureShown = (this.unsureShown + 1) % rows.length;
    const row = rows[this.unsureShown];
    row.scrollIntoView({ block: "center" });
    const text = row.querySelector(".line-text");
    if (text && !text.classList.contains("expanded")) text.click();
    row.classList.add("flash");
    setTimeout(() => row.classList.remove("flash"), 1200);
  }

  // One line of the notice with what was decided on it; blank lines nothing was decided on are left out.
  lineRow(number, text, entries) {
    if (!text.trim() && !entries.length) return null;
    const row = element("li", entries.some((entry) => entry.unsure) ? "import-line unsure" : "import-line");
    row.dataset.line = String(number);
    const original = element("div", "line-text", text.trim() || "（空行）");
    original.title = "点击展开或收起整行";
    original.tabIndex = 0;
    original.setAttribute("role", "button");
    original.setAttribute("aria-expanded", "false");
    const toggle = () => original.setAttribute("aria-expanded", String(original.classList.toggle("expanded")));
    original.addEventListener("click", toggle);
    original.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      toggle();
    });
    const decided = element("ul", "line-entries");
    decided.append(...entries.map((entry) => entryItem(entry, number)));
    row.append(element("span", "line-number", String(number)), original, decided);
    return row;
  }

  hidePanel() {
    this.panel.hidden = true;
  }

  accept() {
    this.hidePanel();
    if (this.result) this.onAccept(this.result);
  }
}
