// The panels' one way to build DOM: element, attributes, children — text always as text nodes
// (textContent), never innerHTML. Names, chat lines and file names come from other people and are
// rendered exactly as typed (§S13: self-asserted, text only).

/**
 * @param {string} tag
 * @param {Record<string, string|boolean|Function>} [attrs] "testid" → data-testid, "on<event>" → listener,
 *   "text" → textContent, booleans → property (hidden, disabled, checked), other strings → attribute
 * @param {...(Node|string|null)} children strings become text nodes
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name === "testid") node.dataset.testid = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (typeof value === "boolean") node[name] = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** "1.5 MB" style sizes for file offers. */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Replaces `parent`'s children with `children` unless they would look exactly the same
 * (isEqualNode: same elements, attributes and text). Panels render on every session change;
 * leaving unchanged nodes in place keeps focus, selection and a click in progress intact.
 */
export function replaceIfChanged(parent, children) {
  const nodes = children.filter((c) => c !== null && c !== undefined).map((c) => (typeof c === "string" ? document.createTextNode(c) : c));
  const current = parent.childNodes;
  if (current.length === nodes.length && nodes.every((node, i) => node.isEqualNode(current[i]))) return;
  parent.replaceChildren(...nodes);
}
