// The live preview: the source sent ~700 ms after the last keystroke (one request in flight, a newer
// edit aborting the older), its pages shown as PNGs in A4-proportioned boxes reserved before they
// load, then `docgen check`'s findings beside the pages they concern.

import { ApiError, getJson, postJson } from "./api.js";

const PAUSE_MS = 700;
const BUSY_RETRY_MS = 2000;
const SEVERITY = {
  required: "必须",
  normally: "一般应",
  recommended: "宜",
};
const SEVERITY_ORDER = ["required", "normally", "recommended"];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function checkSummary(report) {
  if (!report.passed) {
    const required = report.findings.filter((finding) => finding.severity === "required").length;
    return element("p", "check-failed", `检查发现 ${required} 处不符合 GB/T 9704 必须遵守的规定。`);
  }
  const others = report.findings.length ? `（另有 ${report.findings.length} 条提示）` : "";
  return element("p", "check-passed", `检查通过：符合 GB/T 9704 必须遵守的规定${others}。`);
}

// What the preview reports to the rest of the page: each is a function of the answer or error.
//   onResult(result), onError(error), onStatus({pages, grid, busy, checking, gridOk})
export class Preview {
  constructor({ pages, findings, grid, onResult, onError, onStatus }) {
    this.pages = pages;
    this.findings = findings;
    this.grid = grid; // {lines, chars} from /api/info, for the ✓ text
    this.onResult = onResult;
    this.onError = onError;
    this.onStatus = onStatus;
    this.timer = 0;
    this.request = null; // the latest {source, syntax, images}
    this.current = null; // promise of the answer for ``request``
    this.controller = null; // the preview request's
    this.checking = null; // the check's of the pages shown: they stay (dimmed) while a newer preview is made
    this.result = null; // the latest answer shown
    this.width = 0;
    new ResizeObserver(() => this.resized()).observe(pages);
  }

  // A new source (``request`` is what /api/preview takes: {source, syntax, images}): previewed after a
  // pause in typing.
  schedule(request) {
    this.request = request;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.send(), PAUSE_MS);
  }

  // A new source previewed at once (a starter, an import, an update, another image).
  now(request) {
    this.request = request;
    clearTimeout(this.timer);
    this.send();
  }

  // Nothing to preview (an empty editor, a ledger): the pending request and the pages go.
  clear() {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.checking?.abort();
    this.request = null;
    this.current = null;
    this.result = null;
    this.pages.replaceChildren();
    this.findings.replaceChildren();
    this.onStatus({ busy: false, pages: null });
  }

  // The answer for what the editor holds now: sent at once if it was waiting for the pause.
  async ready() {
    if (!this.request) throw new ApiError(0, "编辑器中还没有公文。");
    if (this.timer) {
      clearTimeout(this.timer);
      this.send();
    }
    for (;;) {
      const promise = this.current;
      const result = await promise;
      if (promise === this.current) return result;
    }
  }

  send() {
    this.timer = 0;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.current = this.build(this.request, controller.signal);
    this.current.catch(() => {}); // shown by onError; a download awaiting ready() sees it too
  }

  async build(request, signal) {
    this.pages.classList.add("stale");
    this.onStatus({ busy: true });
    let result;
    try {
      result = await postJson("api/preview", request, { signal });
    } catch (error) {
      if (signal.aborted) throw error;
      this.onStatus({ busy: false });
      if (error.status === 503) this.retryLater(request);
      this.onError(error);
      throw error;
    }
    if (signal.aborted) throw new DOMException("superseded", "AbortError");
    this.result = result;
    this.pages.classList.remove("stale");
    this.showPages(result);
    this.onResult(result);
    this.onStatus({ busy: false, pages: result.pages, checking: true });
    this.checking?.abort();
    this.checking = new AbortController();
    this.check(result.job, this.checking.signal);
    return result;
  }

  retryLater(request) {
    setTimeout(() => {
      if (this.request === request && !this.timer) this.send();
    }, BUSY_RETRY_MS);
  }

  // The PNG width that fills a page box on this screen, in steps of 100 px (each width is made once
  // on the server, so a few steps keep its cache useful).
  imageWidth() {
    const sheet = this.pages.querySelector(".sheet");
    const css = sheet ? sheet.clientWidth : this.pages.clientWidth;
    const pixels = Math.ceil((css * (window.devicePixelRatio || 1)) / 100) * 100;
    return Math.min(2000, Math.max(200, pixels));
  }

  pageBox(number) {
    const page = element("section", "page");
    page.dataset.page = String(number);
    page.setAttribute("aria-label", `第 ${number} 页`);
    const sheet = element("div", "sheet");
    const image = element("img");
    image.loading = "lazy";
    image.decoding = "async";
    image.alt = `第 ${number} 页`;
    sheet.append(image);
    const side = element("div", "page-side");
    side.append(element("span", "page-number", `第 ${number} 页`), element("ul", "page-findings"));
    page.append(sheet, side);
    return page;
  }

  // The pages of ``result``: the boxes already shown are kept (their old image stays until the new
  // one has loaded), missing ones added, extra ones removed; the findings of the pages before go.
  showPages(result) {
    while (this.pages.children.length > result.pages) this.pages.lastChild.remove();
    while (this.pages.children.length < result.pages) this.pages.append(this.pageBox(this.pages.children.length + 1));
    for (const page of this.pages.children) {
      page.querySelector(".page-findings").replaceChildren();
      page.querySelector(".page-number").textContent = `第 ${page.dataset.page} 页 / 共 ${result.pages} 页`;
    }
    this.showImages(result);
  }

  showImages(result) {
    const [widthPt, heightPt] = result.page_size;
    this.width = this.imageWidth();
    const height = Math.round((this.width * heightPt) / widthPt);
    for (const page of this.pages.children) {
      const image = page.querySelector("img");
      image.width = this.width;
      image.height = height;
      image.src = `api/jobs/${result.job}/pages/${page.dataset.page}.png?width=${this.width}`;
    }
  }

  // A wider pane gets sharper images; a narrower one scales the ones it has.
  resized() {
    if (this.result && this.imageWidth() > this.width) this.showImages(this.result);
  }

  async check(job, signal) {
    this.findings.replaceChildren(element("p", "checking", "正在按 GB/T 9704 检查…"));
    let report;
    try {
      report = await getJson(`api/jobs/${job}/check`, { signal });
    } catch (error) {
      if (signal.aborted) return;
      this.findings.replaceChildren(element("p", "check-failed", `检查未完成：${error.message}`));
      this.onStatus({ checking: false, grid: "检查未完成", gridOk: false });
      return;
    }
    if (signal.aborted) return;
    this.showFindings(report);
    const gridText = report.grid.ok ? `版心 ${this.grid.lines} 行 × ${this.grid.chars} 字 ✓` : report.grid.text;
    this.onStatus({ checking: false, grid: gridText, gridOk: report.grid.ok });
  }

  showFindings(report) {
    const sorted = [...report.findings].sort(
      (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
    );
    const general = sorted.filter((finding) => !this.pageOf(finding));
    const parts = [checkSummary(report)];
    if (general.length) parts.push(this.findingList(general, "check-general"));
    this.findings.replaceChildren(...parts);
    for (const finding of sorted) {
      const page = this.pageOf(finding);
      if (page) page.querySelector(".page-findings").append(this.findingItem(finding));
    }
  }

  pageOf(finding) {
    return finding.page ? this.pages.querySelector(`.page[data-page="${finding.page}"]`) : null;
  }

  findingList(findings, className) {
    const list = element("ul", className);
    list.append(...findings.map((finding) => this.findingItem(finding)));
    return list;
  }

  findingItem(finding) {
    const item = element("li", `finding ${finding.severity}`);
    item.dataset.severity = finding.severity;
    const details = [
      finding.clause && `GB/T 9704 ${finding.clause}`,
      finding.measured && `实测：${finding.measured}`,
      finding.expected && `应为：${finding.expected}`,
    ];
    item.title = details.filter(Boolean).join("\n");
    item.append(
      element("span", "severity", SEVERITY[finding.severity] || finding.severity),
      element("span", "text", finding.text),
    );
    return item;
  }
}
