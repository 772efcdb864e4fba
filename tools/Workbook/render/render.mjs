// Renders formulas (KaTeX, HTML and MathML output) and code (highlight.js) for the workbook's reports.
//
// The workbook starts this once per run and talks to it in JSON lines, so KaTeX and highlight.js load once
// rather than once per formula. Each line on stdin is one request:
//   {"id": 1, "items": [{"math": "x^2", "display": false}, {"code": "var x = 1;", "language": "csharp"}]}
// and each request gets exactly one line on stdout, its results in the same order as its items:
//   {"id": 1, "results": [{"html": "<span class=\"katex\">…"}, {"error": "KaTeX parse error: …"}]}
// A bad item is answered with an error rather than ending the process, so that the workbook can name the
// notebook and cell it came from.

import { createInterface } from "node:readline";
import katex from "katex";
import hljs from "highlight.js";

function renderMath(tex, display) {
  return katex.renderToString(tex, {
    displayMode: display,
    // KaTeX's HTML is what a reader sees: it sizes and stacks delimiters itself, with its own fonts (which the
    // report inlines), so a floor or a matrix bracket stretches without a math font on the reader's machine;
    // Chromium stretches MathML operators only with one. The MathML beside it, hidden on screen, is what
    // screen readers read.
    output: "htmlAndMathml",
    throwOnError: true,
    // Warnings about LaTeX-incompatible input would go to stderr, where nobody reads them.
    strict: "ignore",
  });
}

function renderCode(code, language) {
  const known = hljs.getLanguage(language) ? language : "csharp";
  return hljs.highlight(code, { language: known, ignoreIllegals: true }).value;
}

function renderItem(item) {
  try {
    if (typeof item.math === "string") return { html: renderMath(item.math, item.display === true) };
    if (typeof item.code === "string") return { html: renderCode(item.code, item.language ?? "csharp") };
    return { error: "The item has neither 'math' nor 'code'." };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    process.stdout.write(JSON.stringify({ id: null, error: `Not JSON: ${error.message}` }) + "\n");
    continue;
  }
  const items = Array.isArray(request.items) ? request.items : [];
  process.stdout.write(JSON.stringify({ id: request.id ?? null, results: items.map(renderItem) }) + "\n");
}
