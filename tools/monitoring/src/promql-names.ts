/** The names a PromQL expression refers to: metrics, labels in matchers, labels it groups or joins by. */
export interface PromqlNames {
  /** Metric names, each with the label names of its `{…}` matchers. */
  readonly metrics: ReadonlyMap<string, ReadonlySet<string>>;
  /** Label names of `by`, `without`, `on`, `ignoring`, `group_left`, `group_right` lists. */
  readonly groupingLabels: ReadonlySet<string>;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2']);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

/**
 * A small PromQL scanner, enough for the names (promtool checks the syntax): strings and
 * durations are skipped, an identifier before `(` is a function or aggregation, one inside
 * `{…}` a label, one inside the parentheses after `by` & co. a grouping label, any other a
 * metric name.
 */
export function promqlNames(expr: string): PromqlNames {
  const metrics = new Map<string, Set<string>>();
  const groupingLabels = new Set<string>();
  let lastMetric: Set<string> | undefined;
  let at = 0;
  const skipSpace = () => {
    while (at < expr.length && /\s/.test(expr[at])) at++;
  };
  while (at < expr.length) {
    const char = expr[at];
    if (char === '"' || char === "'" || char === '`') {
      at = endOfString(expr, at);
      continue;
    }
    if (char === '[') {
      at = expr.indexOf(']', at) + 1 || expr.length;
      continue;
    }
    if (char === '{') {
      const end = expr.indexOf('}', at);
      const labels = lastMetric ?? new Set<string>();
      for (const match of stripStrings(expr.slice(at + 1, end)).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) {
        if (match[1] === '__name__') continue;
        labels.add(match[1]);
      }
      if (!lastMetric) metrics.set(`{${expr.slice(at + 1, end)}}`, labels);
      at = end + 1;
      lastMetric = undefined;
      continue;
    }
    if (/[0-9.]/.test(char)) {
      while (at < expr.length && /[0-9a-zA-Z.+]/.test(expr[at])) at++; // numbers, 1e3, durations after offset
      continue;
    }
    IDENTIFIER.lastIndex = at;
    const match = IDENTIFIER.exec(expr);
    if (!match) {
      at++;
      if (!/\s/.test(char)) lastMetric = undefined;
      continue;
    }
    const word = match[0];
    at += word.length;
    skipSpace();
    if (GROUPING.has(word) && expr[at] === '(') {
      const end = expr.indexOf(')', at);
      for (const label of expr.slice(at + 1, end).split(',').map((one) => one.trim()).filter(Boolean)) groupingLabels.add(label);
      at = end + 1;
      continue;
    }
    // An aggregation: `sum (…)` or `sum by (…) (…)`.
    if (KEYWORDS.has(word.toLowerCase()) || expr[at] === '(' || /^(by|without)\s*\(/.test(expr.slice(at))) {
      lastMetric = undefined;
      continue;
    }
    const labels = metrics.get(word) ?? new Set<string>();
    metrics.set(word, labels);
    lastMetric = labels;
  }
  return { metrics, groupingLabels };
}

function endOfString(text: string, start: number): number {
  const quote = text[start];
  let at = start + 1;
  while (at < text.length && text[at] !== quote) at += text[at] === '\\' ? 2 : 1;
  return at + 1;
}

function stripStrings(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}
