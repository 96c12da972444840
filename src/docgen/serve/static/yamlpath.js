// Where in a YAML document the caret stands, read from indentation alone (a source being typed seldom
// parses): the steps from the root to the mapping the caret is in, each a {key} or "items" (a list's item).

const KEY = /^("[^"]*"|'[^']*'|[^\s#"'?:,[\]{}|>-][^#]*?|-[^\s#][^#]*?)\s*:(?=\s|$)/;

// One line's shape: the columns of its list dashes ("- - x" has two), the column its content starts
// at after them, the key found there (or null) and whether that key has its value on the same line.
export function lineShape(text) {
  const rest = text.trimStart();
  if (rest === "" || rest.startsWith("#")) return { blank: true };
  const dashes = [];
  let column = text.length - rest.length;
  while (/^-(\s|$)/.test(text.slice(column))) {
    dashes.push(column);
    column += 1;
    while (text[column] === " ") column += 1;
  }
  const match = KEY.exec(text.slice(column));
  const after = match ? text.slice(column + match[0].length).trim() : "";
  return {
    blank: false,
    dashes,
    keyColumn: column,
    key: match ? match[1].replace(/^["']|["']$/g, "") : null,
    inline: after !== "" && !after.startsWith("#"),
  };
}

function startColumn(shape) {
  return shape.dashes.length ? shape.dashes[0] : shape.keyColumn;
}

const items = (count) => Array(count).fill("items");

// Whether ``shape``'s key opens a value on the lines below it (a mapping or a list).
function opensBlock(shape) {
  return shape.key !== null && !shape.inline;
}

// The steps from the root to the mapping that holds the key on line ``row`` (null where the
// indentation says the line is inside a text, not a mapping).
function mappingPath(shapes, row) {
  const shape = shapes[row];
  if (shape.dashes.length) {
    const list = listPath(shapes, row, shape.dashes[0]);
    return list && [...list, ...items(shape.dashes.length)];
  }
  const column = shape.keyColumn;
  for (let i = row - 1; i >= 0; i -= 1) {
    const above = shapes[i];
    if (above.blank) continue;
    if (above.key !== null && above.keyColumn === column) {
      if (above.dashes.length) return mappingPath(shapes, i); // the mapping began on a list item's line
      continue; // a sibling key
    }
    if (startColumn(above) > column || above.dashes[0] === column) continue; // deeper, or a sibling's list
    if (opensBlock(above) && above.keyColumn < column) {
      const owner = mappingPath(shapes, i);
      return owner && [...owner, { key: above.key }];
    }
    return null;
  }
  return [];
}

// The steps from the root to the list whose dashes stand at ``column``, holding line ``row``.
function listPath(shapes, row, column) {
  for (let i = row - 1; i >= 0; i -= 1) {
    const above = shapes[i];
    if (above.blank || above.dashes[0] === column || startColumn(above) > column) continue;
    const nested = above.dashes.indexOf(column);
    if (nested > 0) {
      const outer = listPath(shapes, i, above.dashes[0]);
      return outer && [...outer, ...items(nested)];
    }
    if (opensBlock(above) && above.keyColumn <= column) {
      const owner = mappingPath(shapes, i);
      return owner && [...owner, { key: above.key }];
    }
    return null;
  }
  return [];
}

// The caret's place for completion: when it stands where a key may be typed (after the line's
// indentation and any "- "), the path to the mapping there and what of the key is typed so far.
// ``lines`` are the document's lines, ``row`` the caret's (0-based), ``column`` its offset.
export function keyPlace(lines, row, column) {
  const typed = /^(\s*)((?:-\s+)*)([^\s:#"'[\]{},-][^\s:#]*)?$/.exec(lines[row].slice(0, column));
  if (!typed) return null;
  const dashes = [];
  let keyColumn = typed[1].length;
  for (const dash of typed[2].matchAll(/-\s+/g)) {
    dashes.push(keyColumn);
    keyColumn += dash[0].length;
  }
  const shapes = lines.map((text, i) => (i === row ? { blank: false, dashes, keyColumn, key: "" } : lineShape(text)));
  const path = mappingPath(shapes, row);
  const prefix = typed[3] || "";
  return path && { path, prefix };
}
