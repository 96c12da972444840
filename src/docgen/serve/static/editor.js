// The source editor: a plain <textarea> (the browser's own input, so Chinese IMEs work as anywhere
// else) over a "gutter" layer that repeats its text invisibly, one block per line, in the same font
// and width. The layer wraps long lines exactly as the textarea does, so its line numbers, the red
// mark of an error and the amber marks of lint stand beside the right line however the text wraps.

const EMPTY_LINE = "\u200b"; // an empty block would have no height

export class SourceEditor {
  constructor(textarea, gutter, { onEdit }) {
    this.textarea = textarea;
    this.gutter = gutter;
    this.onEdit = onEdit;
    this.marks = new Map(); // line number → "error" | "lint"
    this.composing = false;
    this.frame = 0;
    textarea.addEventListener("input", (event) => this.edited(event));
    textarea.addEventListener("scroll", () => this.followScroll());
    textarea.addEventListener("compositionstart", () => (this.composing = true));
    textarea.addEventListener("compositionend", (event) => {
      this.composing = false;
      this.edited(event);
    });
    textarea.addEventListener("keydown", (event) => this.keepIndent(event));
    new ResizeObserver(() => this.render()).observe(textarea);
  }

  get value() {
    return this.textarea.value;
  }

  lines() {
    return this.textarea.value.split("\n");
  }

  // The caret's line (0-based row) and offset in it.
  caret() {
    const offset = this.textarea.selectionStart;
    const before = this.textarea.value.slice(0, offset);
    const row = before.split("\n").length - 1;
    return { row, column: offset - (before.lastIndexOf("\n") + 1), offset };
  }

  edited(event) {
    this.scheduleRender();
    this.onEdit({ composing: this.composing || event.isComposing === true, inputType: event.inputType || "" });
  }

  // Replaces the text between ``start`` and ``end`` as typing would, so that Ctrl+Z undoes it.
  replaceRange(start, end, text) {
    const textarea = this.textarea;
    textarea.focus();
    textarea.setSelectionRange(start, end);
    if (!document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new InputEvent("input", { inputType: "insertReplacementText" }));
    }
  }

  // The whole source replaced (a starter, an import, an update): still one step of Ctrl+Z.
  replaceAll(text) {
    this.replaceRange(0, this.textarea.value.length, text);
    this.textarea.setSelectionRange(0, 0);
    this.textarea.scrollTop = 0;
    this.render();
  }

  setMarks(kind, lines) {
    for (const [line, markKind] of [...this.marks]) if (markKind === kind) this.marks.delete(line);
    for (const line of lines) if (!this.marks.has(line) || kind === "error") this.marks.set(line, kind);
    this.render();
  }

  // The caret on ``line``, ``column`` (both 1-based, as the server counts), that line in view.
  goTo(line, column = 1) {
    const lines = this.lines();
    const row = Math.min(Math.max(line, 1), lines.length) - 1;
    const offset = lines.slice(0, row).reduce((sum, text) => sum + text.length + 1, 0);
    const at = offset + Math.min(Math.max(column - 1, 0), lines[row].length);
    this.textarea.focus();
    this.textarea.setSelectionRange(at, at);
    this.render();
    const block = this.gutter.children[row];
    if (block) this.textarea.scrollTop = Math.max(0, block.offsetTop - this.textarea.clientHeight / 3);
  }

  // Where the caret is drawn, in the viewport: read from the invisible copy of its line.
  caretRect() {
    this.render();
    const { row, column } = this.caret();
    const block = this.gutter.children[row];
    const text = block.firstChild;
    const range = document.createRange();
    range.setStart(text, text.data === EMPTY_LINE ? 0 : Math.min(column, text.length));
    range.collapse(true);
    const rect = range.getClientRects()[0] || block.getBoundingClientRect();
    return { left: rect.left, top: rect.top, bottom: rect.bottom };
  }

  scheduleRender() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  render() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const lines = this.lines();
    const blocks = this.gutter.children;
    while (blocks.length > lines.length) this.gutter.lastChild.remove();
    while (blocks.length < lines.length) {
      const block = document.createElement("div");
      block.className = "ln";
      block.dataset.line = String(blocks.length + 1);
      block.append(document.createTextNode(""));
      this.gutter.append(block);
    }
    lines.forEach((text, row) => {
      const block = blocks[row];
      const shown = text || EMPTY_LINE;
      if (block.firstChild.data !== shown) block.firstChild.data = shown;
      const mark = this.marks.get(row + 1);
      block.classList.toggle("error", mark === "error");
      block.classList.toggle("lint", mark === "lint");
    });
    const digits = String(lines.length).length;
    this.textarea.parentElement.style.setProperty("--gutter-digits", String(Math.max(digits, 2)));
    this.followScroll();
  }

  followScroll() {
    this.gutter.scrollTop = this.textarea.scrollTop;
  }

  // Enter keeps the line's indentation (one step more after "key:" or on a list item's mapping),
  // as YAML needs; never while an IME is composing, whose Enter confirms the characters.
  keepIndent(event) {
    if (event.key !== "Enter" || event.isComposing || this.composing || event.defaultPrevented) return;
    if (event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
    const { row, column, offset } = this.caret();
    const line = this.lines()[row].slice(0, column);
    const indent = /^\s*/.exec(line)[0].length;
    const item = /^\s*((?:-\s+)+)\S[^#]*:\s/.exec(line);
    const opens = /:\s*(#.*)?$/.test(line) && !/^\s*#/.test(line);
    const depth = indent + (item ? item[1].length : 0) + (opens ? 2 : 0);
    event.preventDefault();
    this.replaceRange(offset, this.textarea.selectionEnd, "\n" + " ".repeat(depth));
  }
}
