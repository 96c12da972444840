// The server's HTTP contract (issue #21) seen from the page: JSON in, JSON or files out, and every
// refusal as an ApiError carrying the server's own message (in Chinese) and, for a source, its line (or
// the uploaded image it named that the server no longer has).

export class ApiError extends Error {
  constructor(status, message, line = null, column = null, image = null) {
    super(message);
    this.status = status;
    this.line = line;
    this.column = column;
    this.image = image;
  }
}

const NETWORK_MESSAGE = "无法连接 docgen 服务：请确认它仍在运行，然后重试。";
const UNAUTHORIZED_MESSAGE = "需要访问令牌：请用管理员给的完整链接（带 ?token=…）重新打开本页。";

async function refusal(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's page, say; the status alone is all there is
  }
  const error = body && body.error;
  if (error && error.message)
    return new ApiError(response.status, error.message, error.line ?? null, error.column ?? null, error.image ?? null);
  if (response.status === 401) return new ApiError(401, UNAUTHORIZED_MESSAGE);
  return new ApiError(response.status, `服务出错（HTTP ${response.status}）。`);
}

async function send(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...options });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, NETWORK_MESSAGE);
  }
  if (!response.ok) throw await refusal(response);
  return response;
}

export async function getJson(path, options = {}) {
  return (await send(path, options)).json();
}

export async function postJson(path, body, options = {}) {
  const headers = { "Content-Type": "application/json" };
  return (await send(path, { ...options, method: "POST", headers, body: JSON.stringify(body) })).json();
}

export async function postForm(path, form, options = {}) {
  return (await send(path, { ...options, method: "POST", body: form })).json();
}

// ``form`` posted to ``path`` from ``dialog``, marked busy meanwhile while the status line says
// ``doing``: the answer, or null once ``fail`` has the error's message. The status line is cleared
// before ``fail`` is told, so a failure it shows there stays.
export async function postFromDialog(dialog, path, form, { doing, notify, fail }) {
  dialog.setAttribute("aria-busy", "true");
  notify(doing);
  try {
    const answer = await postForm(path, form);
    notify("");
    return answer;
  } catch (error) {
    notify("");
    fail(error.message);
    return null;
  } finally {
    dialog.removeAttribute("aria-busy");
  }
}

// The name the server gives a download (RFC 6266: filename*=UTF-8''… first), else ``fallback``.
function attachmentName(disposition, fallback) {
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition || "");
  if (encoded) return decodeURIComponent(encoded[1].trim());
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition || "");
  return plain ? plain[1].trim() : fallback;
}

// Fetches a file and hands it to the browser as a download: a failure stays on the page as an
// ApiError instead of replacing it with the server's JSON.
export async function download(path, fallbackName) {
  const response = await send(path);
  const name = attachmentName(response.headers.get("Content-Disposition"), fallbackName);
  saveBlob(await response.blob(), name);
  return name;
}

// A file name's extension, lower case with its dot (".png"); "" when it has none.
export function extensionOf(name) {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? "" : name.slice(dot).toLowerCase();
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
