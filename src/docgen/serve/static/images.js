// 印章图片: the seal and signature images a source names (印章: 市政府印章.png), each uploaded once to
// /api/images and kept as name → content id in localStorage beside the source, to be sent with every
// preview. The panel lists them: a thumbnail, the name, 插入 (the name at the editor's caret), 移除.

import { extensionOf, postForm } from "./api.js";

export const IMAGE_FILES = [".png", ".jpg", ".jpeg", ".svg"];
const STORED = "docgen.images";
const CONTENT_ID = /^[0-9a-f]{64}$/;
// An image's file name in a message, however it is quoted: 'seal': seal-city.png 不存在, 「市政府印章.png」 …
const NAMED_IMAGE = /[^\s'"‘’“”「」『』《》：:，,；;（）()[\]]+\.(?:png|jpe?g|svg)\b/giu;

export function isImageFile(file) {
  return IMAGE_FILES.includes(extensionOf(file.name));
}

// The image files ``message`` names, each once.
export function imagesNamedIn(message) {
  return [...new Set(message.match(NAMED_IMAGE) || [])];
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// What was kept: an object of names to content ids, anything else in it dropped.
function storedImages() {
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(STORED) || "{}");
  } catch {
    // a damaged entry: nothing kept
  }
  if (!kept || typeof kept !== "object" || Array.isArray(kept)) return new Map();
  return new Map(Object.entries(kept).filter(([, id]) => typeof id === "string" && CONTENT_ID.test(id)));
}

export class Images {
  // ``onChange()``: the list changed (preview again); ``onInsert(name)``: the name at the caret;
  // ``notify(message, kind)`` tells the clerk.
  constructor({ toggle, panel, input, limits, onChange, onInsert, notify }) {
    Object.assign(this, { toggle, panel, limits, onChange, onInsert, notify });
    this.list = panel.querySelector(".image-list");
    this.empty = panel.querySelector(".images-empty");
    this.error = panel.querySelector(".images-error");
    this.images = storedImages();
    toggle.addEventListener("click", () => (panel.hidden ? this.open() : this.close()));
    panel.querySelector(".panel-close").addEventListener("click", () => this.close());
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
    input.addEventListener("change", () => {
      const files = [...input.files];
      input.value = "";
      this.upload(files);
    });
    this.render();
  }

  // The images as /api/preview takes them: {name: id}.
  named() {
    return Object.fromEntries(this.images);
  }

  has(name) {
    return this.images.has(name);
  }

  open() {
    this.panel.hidden = false;
    this.toggle.setAttribute("aria-expanded", "true");
  }

  close() {
    this.panel.hidden = true;
    this.toggle.setAttribute("aria-expanded", "false");
  }

  // Each of ``files`` uploaded in turn (the refused ones said why); one preview afterwards.
  async upload(files) {
    this.open();
    this.error.hidden = true;
    const refusals = [];
    let added = 0;
    this.panel.setAttribute("aria-busy", "true");
    for (const file of files) {
      const refusal = this.refusal(file);
      if (refusal) {
        refusals.push(refusal);
        continue;
      }
      this.notify(`正在上传 ${file.name}…`);
      const form = new FormData();
      form.append("file", file, file.name);
      try {
        const image = await postForm("api/images", form);
        this.images.set(image.name, image.id);
        added += 1;
      } catch (error) {
        refusals.push(error.message.includes(file.name) ? error.message : `「${file.name}」未能上传：${error.message}`);
      }
    }
    this.panel.removeAttribute("aria-busy");
    this.store();
    this.render();
    if (refusals.length) {
      this.error.textContent = refusals.join("\n");
      this.error.hidden = false;
    }
    this.notify(added ? `已上传 ${added} 张印章图片` : "");
    if (added) this.onChange();
  }

  // Why ``file`` is not sent, or "" when it may be.
  refusal(file) {
    if (!isImageFile(file)) return `「${file.name}」不是印章图片：请用 ${IMAGE_FILES.join("、")} 文件。`;
    const limit = Math.min(this.limits.image_bytes || Infinity, this.limits.upload_bytes || Infinity);
    if (file.size > limit) return `「${file.name}」超过图片大小上限（${+(limit / 1048576).toFixed(2)} MB）。`;
    return "";
  }

  // ``name`` no longer offered to previews (the clerk removed it, or the server no longer has it).
  forget(name) {
    this.images.delete(name);
    this.store();
    this.render();
  }

  remove(name) {
    this.forget(name);
    this.notify(`已移除 ${name}`);
    this.onChange();
  }

  store() {
    localStorage.setItem(STORED, JSON.stringify(this.named()));
  }

  render() {
    this.list.replaceChildren(...[...this.images].map(([name, id]) => this.item(name, id)));
    this.empty.hidden = this.images.size > 0;
    this.toggle.textContent = this.images.size ? `印章图片（${this.images.size}）` : "印章图片";
  }

  item(name, id) {
    const item = element("li", "image");
    item.dataset.name = name;
    const thumb = element("img", "thumb");
    thumb.alt = "";
    thumb.src = `api/images/${id}`;
    thumb.addEventListener("error", () => {
      item.classList.add("gone");
      item.title = "服务器上已没有这张图片：请重新上传";
    });
    const insert = element("button", "image-insert", "插入");
    insert.type = "button";
    insert.title = `把「${name}」插入编辑器的光标处`;
    insert.addEventListener("click", () => this.onInsert(name));
    const remove = element("button", "image-remove quiet", "移除");
    remove.type = "button";
    remove.setAttribute("aria-label", `移除 ${name}`);
    remove.addEventListener("click", () => this.remove(name));
    item.append(thumb, element("span", "image-name", name), insert, remove);
    return item;
  }
}
