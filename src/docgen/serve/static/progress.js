// 整改进展: a ledger (uploaded, or the one in the editor) sent to /api/progress with the optional
// previous ledger, date and 附台账; the update's source goes to the editor, its summary, warnings and
// what changed since the previous ledger to a panel above the preview.

import { postFromDialog } from "./api.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class Progress {
  // ``editorLedger()`` is the editor's text when it holds a ledger (else null); ``onSource(result)``
  // puts the update in the editor; ``notify(message)`` tells the clerk.
  constructor({ dialog, ledgerInput, previousInput, asOf, table, submit, panel, editorLedger, onSource, notify }) {
    Object.assign(this, { dialog, ledgerInput, previousInput, asOf, table, panel, editorLedger, onSource, notify });
    this.error = dialog.querySelector(".dialog-error");
    this.fromEditor = dialog.querySelector("#ledger-from-editor");
    submit.addEventListener("click", () => this.submit());
    this.fromEditor.addEventListener("change", () => (ledgerInput.disabled = this.fromEditor.checked));
    panel.querySelector(".panel-close").addEventListener("click", () => (panel.hidden = true));
  }

  // ``file``: a ledger dropped on the page, put in the dialog's file field.
  open(file = null) {
    const ledger = this.editorLedger();
    this.fromEditor.disabled = ledger === null;
    this.fromEditor.checked = ledger !== null && !file;
    this.fromEditor.closest("label").hidden = ledger === null;
    this.ledgerInput.disabled = this.fromEditor.checked;
    if (file) {
      const files = new DataTransfer();
      files.items.add(file);
      this.ledgerInput.files = files.files;
    }
    this.error.hidden = true;
    this.dialog.showModal();
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  form() {
    const form = new FormData();
    const ledger = this.fromEditor.checked ? this.editorLedger() : null;
    if (ledger !== null) form.append("ledger", new Blob([ledger], { type: "application/yaml" }), "ledger.yaml");
    else if (this.ledgerInput.files[0])
      form.append("ledger", this.ledgerInput.files[0], this.ledgerInput.files[0].name);
    else return null;
    if (this.previousInput.files[0])
      form.append("previous", this.previousInput.files[0], this.previousInput.files[0].name);
    if (this.asOf.value) form.append("as_of", this.asOf.value);
    if (this.table.checked) form.append("table", "1");
    return form;
  }

  async submit() {
    const form = this.form();
    if (!form) {
      this.showError("请选择整改台账文件（.yaml 或 .xlsx）。");
      return;
    }
    const result = await postFromDialog(this.dialog, "api/progress", form, {
      doing: "正在由台账生成整改进展…",
      notify: this.notify,
      fail: (message) => this.showError(message),
    });
    if (!result) return;
    this.dialog.close();
    this.showPanel(result);
    this.onSource(result);
  }

  showPanel(result) {
    this.panel.querySelector(".progress-summary").textContent = result.summary;
    const warnings = this.panel.querySelector(".progress-warnings");
    warnings.replaceChildren(...result.warnings.map((warning) => element("li", "warning", warning)));
    warnings.hidden = result.warnings.length === 0;
    const diff = this.panel.querySelector(".progress-diff");
    diff.replaceChildren(...result.diff.map((line) => element("li", "diff-line", line)));
    this.panel.querySelector(".progress-diff-block").hidden = result.diff.length === 0;
    this.panel.hidden = false;
  }
}
