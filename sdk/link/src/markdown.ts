// A deliberately small Markdown subset for the SDK's `text` overrides: paragraphs, "- " lists, **bold**, *italic*,
// `code` and [links](https://…). It is parsed to a tree and rendered with DOM nodes and textContent only, so raw HTML
// in a text is shown as text, never interpreted; links are kept only for http(s) and mailto.

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong" | "em"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] };

export type Block = { type: "p"; children: Inline[] } | { type: "ul"; items: Inline[][] };

export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^mailto:[^\s]+$/i.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ type: "text", text: plain });
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\*\*([^*]+?)\*\*/.exec(rest)) || (m = /^__([^_]+?)__/.exec(rest))) {
      flush();
      out.push({ type: "strong", children: parseInline(m[1]) });
      i += m[0].length;
    } else if ((m = /^\*([^*\s][^*]*?)\*/.exec(rest)) || (m = /^_([^_\s][^_]*?)_/.exec(rest))) {
      flush();
      out.push({ type: "em", children: parseInline(m[1]) });
      i += m[0].length;
    } else if ((m = /^`([^`]+)`/.exec(rest))) {
      flush();
      out.push({ type: "code", text: m[1] });
      i += m[0].length;
    } else if ((m = /^\[([^\]]+)\]\(([^()\s]+)\)/.exec(rest))) {
      flush();
      const href = safeHref(m[2]);
      if (href) out.push({ type: "link", href, children: parseInline(m[1]) });
      else out.push(...parseInline(m[1]));
      i += m[0].length;
    } else {
      plain += text[i];
      i += 1;
    }
  }
  flush();
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of source.replace(/\r\n?/g, "\n").split(/\n{2,}/)) {
    const lines = chunk.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      blocks.push({ type: "ul", items: lines.map((l) => parseInline(l.replace(/^\s*[-*] /, "").trim())) });
    } else {
      blocks.push({ type: "p", children: parseInline(lines.map((l) => l.trim()).join(" ")) });
    }
  }
  return blocks;
}

/** Fills Codat's `{companyName}` and `{platformName}` placeholders. */
export function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\{(companyName|platformName)\}/g, (whole, key: string) => values[key] ?? whole);
}

function inlineNodes(doc: Document, nodes: Inline[]): Node[] {
  return nodes.map((node) => {
    switch (node.type) {
      case "text":
        return doc.createTextNode(node.text);
      case "code": {
        const code = doc.createElement("code");
        code.textContent = node.text;
        return code;
      }
      case "link": {
        const a = doc.createElement("a");
        a.href = node.href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.append(...inlineNodes(doc, node.children));
        return a;
      }
      default: {
        const el = doc.createElement(node.type);
        el.append(...inlineNodes(doc, node.children));
        return el;
      }
    }
  });
}

/** Renders Markdown as DOM nodes (never through innerHTML). */
export function renderMarkdown(doc: Document, source: string): Node[] {
  return parseMarkdown(source).map((block) => {
    if (block.type === "p") {
      const p = doc.createElement("p");
      p.append(...inlineNodes(doc, block.children));
      return p;
    }
    const ul = doc.createElement("ul");
    for (const item of block.items) {
      const li = doc.createElement("li");
      li.append(...inlineNodes(doc, item));
      ul.append(li);
    }
    return ul;
  });
}

/** Inline Markdown only (titles, buttons): one line, no blocks. */
export function renderInline(doc: Document, source: string): Node[] {
  return inlineNodes(doc, parseInline(source.replace(/\s+/g, " ").trim()));
}
