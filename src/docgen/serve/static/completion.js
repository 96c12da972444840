// Completion of a source's keys from its JSON Schema (what `docgen schema` prints): the keys allowed
// in the mapping the caret is in, each with its description, offered in a list under the caret.

import { keyPlace, lineShape } from "./yamlpath.js";

// The schema read for the keys a place allows: $ref, allOf, anyOf and oneOf followed to the plain
// schemas they stand for (the document is anyOf its English-keyed and Chinese-keyed shapes).
export class SchemaKeys {
  constructor(schema) {
    this.schema = schema;
  }

  // The schema a local "$ref" (#/definitions/…) points to.
  pointer(ref) {
    if (!ref.startsWith("#/")) return {};
    let node = this.schema;
    for (const part of ref.slice(2).split("/")) node = node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    return node || {};
  }

  // The plain schemas ``node`` stands for, each found once.
  alternatives(node, seen = new Set()) {
    if (!node || typeof node !== "object" || seen.has(node)) return [];
    seen.add(node);
    const found = [node];
    if (node.$ref) found.push(...this.alternatives(this.pointer(node.$ref), seen));
    for (const word of ["allOf", "anyOf", "oneOf"]) {
      for (const part of node[word] || []) found.push(...this.alternatives(part, seen));
    }
    return found;
  }

  step(schemas, step) {
    const next = [];
    for (const schema of schemas) {
      if (step === "items") {
        const inner = Array.isArray(schema.items) ? schema.items : [schema.items];
        for (const item of inner) next.push(...this.alternatives(item));
      } else if (schema.properties && step.key in schema.properties) {
        next.push(...this.alternatives(schema.properties[step.key]));
      } else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        next.push(...this.alternatives(schema.additionalProperties));
      }
    }
    return next;
  }

  describe(property) {
    for (const schema of this.alternatives(property)) if (schema.description) return schema.description;
    return "";
  }

  // The keys of the mapping at ``path``: [{name, description, present}], those of the shape that
  // already holds most of ``present`` (the mapping's keys written so far) first; in each shape the
  // keys not written yet before those that are.
  keysAt(path, present) {
    let schemas = this.alternatives(this.schema);
    for (const step of path) schemas = this.step(schemas, step);
    const shapes = schemas.filter((schema) => schema.properties);
    const fit = (schema) => Object.keys(schema.properties).filter((name) => present.has(name)).length;
    const ranked = shapes.map((schema, order) => ({ schema, order, fit: fit(schema) }));
    ranked.sort((a, b) => b.fit - a.fit || a.order - b.order);
    const keys = new Map();
    for (const { schema } of ranked) {
      const names = Object.keys(schema.properties).filter((name) => !keys.has(name));
      const ordered = [...names.filter((name) => !present.has(name)), ...names.filter((name) => present.has(name))];
      for (const name of ordered) {
        keys.set(name, { name, description: this.describe(schema.properties[name]), present: present.has(name) });
      }
    }
    return [...keys.values()];
  }
}

// The keys already written in the mapping whose keys stand at ``column`` around line ``row``.
function siblingKeys(lines, row, column) {
  const found = new Set();
  const visit = (i) => {
    const shape = lineShape(lines[i]);
    if (shape.blank) return true;
    if (shape.keyColumn === column && shape.key !== null) found.add(shape.key);
    const start = shape.dashes.length ? shape.dashes[0] : shape.keyColumn;
    return start >= column;
  };
  for (let i = row - 1; i >= 0 && visit(i); i -= 1);
  for (let i = row + 1; i < lines.length && visit(i); i += 1);
  return found;
}

const matches = (name, prefix) => name.toLowerCase().startsWith(prefix.toLowerCase());

// The list under the caret and the keys that drive it: Ctrl+Space (or Alt+/, since Ctrl+Space
// switches the input method on many Chinese systems) opens it, typing a key's first characters at
// a key's place opens it too; arrows move, Enter or Tab inserts "key: ", Esc closes.
export class Completion {
  constructor(editor, list, schemaKeys, { region }) {
    this.editor = editor;
    this.list = list;
    this.keys = schemaKeys;
    this.region = region; // which lines are YAML: () => [first, last] (0-based), or null
    this.shown = [];
    this.active = 0;
    this.place = null;
    const textarea = editor.textarea;
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    // before the editor's own Enter (which indents a new line): Enter here takes the chosen key
    textarea.addEventListener("keydown", (event) => this.key(event), { capture: true });
    textarea.addEventListener("blur", () => this.close());
    textarea.addEventListener("click", () => this.close());
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the caret in the editor
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.insert(Number(option.dataset.index));
    });
  }

  get isOpen() {
    return !this.list.hidden;
  }

  // After an edit: follow what is typed while open; open when a key's first characters were typed.
  edited({ composing, inputType }) {
    if (composing) return;
    const typing = inputType === "insertText" || inputType === "insertCompositionText" || inputType === "";
    if (this.isOpen || typing) this.open(false);
  }

  open(asked) {
    const place = this.placeAtCaret();
    if (!place || (!asked && !this.isOpen && place.prefix === "")) return this.close();
    const present = siblingKeys(place.lines, place.row, place.keyColumn);
    const keys = this.keys.keysAt(place.path, present).filter((key) => matches(key.name, place.prefix));
    if (!keys.length || (!asked && keys.length === 1 && keys[0].name === place.prefix)) return this.close();
    this.place = place;
    this.shown = keys;
    this.active = 0;
    this.draw();
  }

  // The key's place at the caret, within the lines that are YAML (all of a YAML source, the front
  // matter of a Markdown one): its path, the typed prefix and where that starts in the whole text.
  placeAtCaret() {
    const region = this.region();
    if (!region) return null;
    const { row, column, offset } = this.editor.caret();
    const [first, last] = region;
    if (row < first || row > last) return null;
    const lines = this.editor.lines().slice(first, last + 1);
    const place = keyPlace(lines, row - first, column);
    if (!place) return null;
    const keyColumn = column - place.prefix.length;
    return { ...place, lines, row: row - first, keyColumn, start: offset - place.prefix.length };
  }

  draw() {
    this.list.replaceChildren(
      ...this.shown.map((key, index) => {
        const option = document.createElement("li");
        option.id = `completion-${index}`;
        option.setAttribute("role", "option");
        option.dataset.index = String(index);
        option.dataset.key = key.name;
        option.classList.toggle("present", key.present);
        const name = document.createElement("span");
        name.className = "key";
        name.textContent = key.name;
        const description = document.createElement("span");
        description.className = "description";
        description.textContent = key.present ? `（已写）${key.description}` : key.description;
        option.append(name, description);
        return option;
      }),
    );
    this.list.hidden = false;
    this.editor.textarea.setAttribute("aria-expanded", "true");
    this.highlight();
    this.position();
  }

  position() {
    const caret = this.editor.caretRect();
    const below = window.innerHeight - caret.bottom;
    const height = Math.min(this.list.scrollHeight, 320);
    this.list.style.left = `${Math.min(caret.left, window.innerWidth - this.list.offsetWidth - 8)}px`;
    this.list.style.top = below > height + 8 ? `${caret.bottom + 2}px` : `${Math.max(4, caret.top - height - 2)}px`;
  }

  highlight() {
    [...this.list.children].forEach((option, index) =>
      option.setAttribute("aria-selected", String(index === this.active)),
    );
    const current = this.list.children[this.active];
    if (current) {
      current.scrollIntoView({ block: "nearest" });
      this.editor.textarea.setAttribute("aria-activedescendant", current.id);
    }
  }

  close() {
    if (!this.isOpen) return;
    this.list.hidden = true;
    this.shown = [];
    this.editor.textarea.setAttribute("aria-expanded", "false");
    this.editor.textarea.removeAttribute("aria-activedescendant");
  }

  // "key: " in place of what was typed of it (and the rest of the word after the caret).
  insert(index) {
    const key = this.shown[index];
    if (!key) return;
    const { offset } = this.editor.caret();
    const after = /^[^\s:#]*(:\s?)?/.exec(this.editor.value.slice(offset))[0];
    this.close();
    this.editor.replaceRange(this.place.start, offset + after.length, `${key.name}: `);
  }

  key(event) {
    if (event.isComposing || this.editor.composing) return;
    const asks =
      (event.ctrlKey && (event.key === " " || event.code === "Space")) || (event.altKey && event.key === "/");
    if (asks) {
      event.preventDefault();
      this.open(true);
      return;
    }
    if (!this.isOpen) return;
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };
    if (event.key in moves) {
      this.active = Math.min(Math.max(this.active + moves[event.key], 0), this.shown.length - 1);
      this.highlight();
    } else if (event.key === "Enter" || event.key === "Tab") {
      this.insert(this.active);
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}
