// The Logs Insights query language, parsed: a pure function from query text to a list of commands. Errors are
// thrown as `QuerySyntaxError` naming the line and position of the offending symbol, as AWS's
// MalformedQueryException does ("unexpected symbol found … at line 1 and position 23"; positions count from 0).

export type Expr =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "duration"; readonly ms: number }
  | { readonly kind: "regex"; readonly regex: RegExp }
  | { readonly kind: "unary"; readonly op: "-" | "not"; readonly operand: Expr }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "like"; readonly negated: boolean; readonly operand: Expr; readonly pattern: Expr }
  | { readonly kind: "in"; readonly negated: boolean; readonly operand: Expr; readonly list: readonly Expr[] }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[]; readonly star: boolean };

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "^" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or";

/** An expression and the name its value gets: the alias after `as`, else the text as written. */
export interface Named {
  readonly expr: Expr;
  readonly name: string;
}

export type Command =
  | { readonly kind: "fields"; readonly items: readonly Named[] }
  | { readonly kind: "display"; readonly items: readonly Named[] }
  | { readonly kind: "filter"; readonly expr: Expr }
  | { readonly kind: "parse"; readonly source: Expr; readonly regex: RegExp; readonly names: readonly string[] }
  | { readonly kind: "stats"; readonly items: readonly Named[]; readonly by: readonly Named[] }
  | { readonly kind: "sort"; readonly keys: readonly { readonly expr: Expr; readonly desc: boolean }[] }
  | { readonly kind: "limit"; readonly count: number }
  | { readonly kind: "dedup"; readonly fields: readonly Expr[] };

export class QuerySyntaxError extends Error {
  override name = "QuerySyntaxError";
}

/** Functions that aggregate over records: only `stats` accepts them. */
export const AGGREGATES = new Set([
  "count",
  "count_distinct",
  "sum",
  "avg",
  "min",
  "max",
  "pct",
  "percentile",
  "median",
  "stddev",
  "earliest",
  "latest",
]);

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

type TokenKind = "ident" | "number" | "duration" | "string" | "regex" | "op" | "eof";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Strings: the unquoted value; regexes: the source. */
  readonly value: string;
  readonly flags?: string;
  readonly number?: number;
  readonly start: number;
  readonly end: number;
}

const OPERATORS = [
  "!=",
  "<=",
  ">=",
  "=~",
  "&&",
  "||",
  "|",
  ",",
  "(",
  ")",
  "[",
  "]",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "!",
];
const IDENT_START = /[A-Za-z_@$]/;
const IDENT_PART = /[A-Za-z0-9_@$.]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const operandBefore = () => {
    const last = tokens[tokens.length - 1];
    if (!last) return false;
    if (last.kind === "op") return last.text === ")" || last.text === "]";
    // `parse @message /regex/`: the field before the pattern is no dividend.
    if (last.kind === "ident" && tokens[tokens.length - 2]?.value.toLowerCase() === "parse") return false;
    if (last.kind === "ident")
      return !["like", "parse", "and", "or", "not", "in", "filter"].includes(last.value.toLowerCase());
    return true;
  };
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text.charAt(i) !== "\n") i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let value = "";
      i++;
      while (i < text.length && text.charAt(i) !== c) {
        if (text.charAt(i) === "\\" && i + 1 < text.length) {
          const next = text.charAt(i + 1);
          value += next === c || next === "\\" ? next : `\\${next}`;
          i += 2;
        } else value += text.charAt(i++);
      }
      if (i >= text.length) fail(text, start, c);
      i++;
      tokens.push({ kind: "string", text: text.slice(start, i), value, start, end: i });
      continue;
    }
    if (c === "`") {
      const close = text.indexOf("`", i + 1);
      if (close < 0) fail(text, start, c);
      i = close + 1;
      tokens.push({ kind: "ident", text: text.slice(start, i), value: text.slice(start + 1, close), start, end: i });
      continue;
    }
    if (c === "/" && !operandBefore()) {
      let source = "";
      let inClass = false;
      i++;
      while (i < text.length && (text.charAt(i) !== "/" || inClass)) {
        const ch = text.charAt(i);
        if (ch === "\\" && i + 1 < text.length) {
          source += ch + text.charAt(i + 1);
          i += 2;
          continue;
        }
        if (ch === "[") inClass = true;
        else if (ch === "]") inClass = false;
        source += ch;
        i++;
      }
      if (i >= text.length) fail(text, start, c);
      i++;
      let flags = "";
      while (i < text.length && /[imsu]/.test(text.charAt(i))) flags += text.charAt(i++);
      tokens.push({ kind: "regex", text: text.slice(start, i), value: source, flags, start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text.charAt(i + 1)))) {
      while (i < text.length && /[0-9.]/.test(text.charAt(i))) i++;
      if (/[eE]/.test(text.charAt(i)) && /[0-9+-]/.test(text.charAt(i + 1))) {
        i += 2;
        while (i < text.length && /[0-9]/.test(text.charAt(i))) i++;
      }
      const number = Number(text.slice(start, i));
      if (Number.isNaN(number)) fail(text, start, text.slice(start, i));
      let unit = "";
      let j = i;
      while (j < text.length && /[a-z]/i.test(text.charAt(j))) unit += text.charAt(j++);
      if (unit) {
        const factor = DURATION_UNITS[unit.toLowerCase()];
        if (factor === undefined) fail(text, i, unit);
        i = j;
        tokens.push({
          kind: "duration",
          text: text.slice(start, i),
          value: unit,
          number: number * factor,
          start,
          end: i,
        });
      } else
        tokens.push({ kind: "number", text: text.slice(start, i), value: text.slice(start, i), number, start, end: i });
      continue;
    }
    if (IDENT_START.test(c)) {
      i++;
      while (i < text.length && IDENT_PART.test(text.charAt(i))) i++;
      // `$.a.b[0]`: array indexes belong to the name.
      while (text.charAt(i) === "[" && /^\[\d+\]/.test(text.slice(i))) {
        i = text.indexOf("]", i) + 1;
        while (i < text.length && IDENT_PART.test(text.charAt(i))) i++;
      }
      const word = text.slice(start, i);
      tokens.push({ kind: "ident", text: word, value: word, start, end: i });
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (!op) fail(text, start, c);
    i += op.length;
    tokens.push({ kind: "op", text: op, value: op, start, end: i });
  }
  tokens.push({ kind: "eof", text: "<EOF>", value: "", start: text.length, end: text.length });
  return tokens;
}

function fail(text: string, offset: number, symbol: string): never {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const position = offset - (before.lastIndexOf("\n") + 1);
  throw new QuerySyntaxError(`unexpected symbol found ${symbol} at line ${line} and position ${position}`);
}

const COMMANDS = ["fields", "display", "filter", "parse", "stats", "sort", "limit", "dedup"];

class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  private get token(): Token {
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const token = this.token;
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private error(token = this.token): never {
    fail(this.text, token.start, token.text);
  }

  private atEnd(): boolean {
    return this.token.kind === "eof";
  }

  private isOp(text: string): boolean {
    return this.token.kind === "op" && this.token.text === text;
  }

  private isWord(word: string): boolean {
    return this.token.kind === "ident" && !this.token.text.startsWith("`") && this.token.value.toLowerCase() === word;
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.error();
    return this.next();
  }

  query(): Command[] {
    const commands: Command[] = [];
    if (this.atEnd()) this.error();
    for (;;) {
      commands.push(this.command());
      if (this.atEnd()) return commands;
      this.expectOp("|");
    }
  }

  private command(): Command {
    const token = this.token;
    const word = token.kind === "ident" ? token.value.toLowerCase() : "";
    if (!COMMANDS.includes(word)) this.error();
    this.next();
    switch (word) {
      case "fields":
      case "display":
        return { kind: word, items: this.list(() => this.named()) };
      case "filter":
        return { kind: "filter", expr: this.expr() };
      case "parse":
        return this.parse();
      case "stats":
        return this.stats();
      case "sort":
        return {
          kind: "sort",
          keys: this.list(() => {
            const expr = this.expr();
            let desc = false;
            if (this.isWord("desc")) {
              desc = true;
              this.next();
            } else if (this.isWord("asc")) this.next();
            return { expr, desc };
          }),
        };
      case "limit": {
        const count = this.token;
        if (count.kind !== "number" || !Number.isInteger(count.number) || (count.number ?? 0) <= 0) this.error();
        this.next();
        return { kind: "limit", count: count.number ?? 0 };
      }
      default:
        return { kind: "dedup", fields: this.list(() => this.expr()) };
    }
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isOp(",")) {
      this.next();
      items.push(item());
    }
    return items;
  }

  private named(): Named {
    const start = this.token.start;
    const expr = this.expr();
    const end = this.tokens[this.index - 1]?.end ?? start;
    if (this.isWord("as")) {
      this.next();
      return { expr, name: this.name() };
    }
    return { expr, name: expr.kind === "field" ? expr.name : this.text.slice(start, end) };
  }

  private name(): string {
    const token = this.token;
    if (token.kind !== "ident") this.error();
    this.next();
    return token.value;
  }

  private parse(): Command {
    let source: Expr = { kind: "field", name: "@message" };
    if (this.token.kind === "ident") source = this.primary();
    const pattern = this.next();
    if (pattern.kind === "regex") {
      const regex = this.regex(pattern);
      const names = [...pattern.value.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] as string);
      if (names.length === 0) this.error(pattern);
      return { kind: "parse", source, regex, names };
    }
    if (pattern.kind !== "string") this.error(pattern);
    if (!this.isWord("as")) this.error();
    this.next();
    const names = this.list(() => this.name());
    const parts = pattern.value.split("*");
    if (parts.length - 1 !== names.length) this.error(pattern);
    const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // Each `*` matches as little as it can, except a trailing one, which takes the rest of the value.
    const body = parts
      .map(
        (part, i) =>
          literal(part) +
          (i < parts.length - 1 ? (i === parts.length - 2 && parts[i + 1] === "" ? "(.*)" : "(.*?)") : ""),
      )
      .join("");
    return { kind: "parse", source, regex: new RegExp(body, "s"), names };
  }

  private stats(): Command {
    const items = this.list(() => this.named());
    let by: Named[] = [];
    if (this.isWord("by")) {
      this.next();
      by = this.list(() => this.named());
    }
    if (!items.some((item) => containsAggregate(item.expr))) this.error();
    return { kind: "stats", items, by };
  }

  private regex(token: Token): RegExp {
    let source = token.value;
    let flags = token.flags ?? "";
    // Java-style inline case-insensitivity, which JavaScript lacks before Node 23.
    if (source.startsWith("(?i)")) {
      source = source.slice(4);
      if (!flags.includes("i")) flags += "i";
    }
    try {
      return new RegExp(source, flags);
    } catch {
      this.error(token);
    }
  }

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord("or") || this.isOp("||")) {
      this.next();
      left = { kind: "binary", op: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord("and") || this.isOp("&&")) {
      this.next();
      left = { kind: "binary", op: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord("not") || this.isOp("!")) {
      this.next();
      return { kind: "unary", op: "not", operand: this.not() };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const token = this.token;
    if (token.kind === "op" && ["=", "!=", "<", "<=", ">", ">="].includes(token.text)) {
      this.next();
      return { kind: "binary", op: token.text as BinaryOp, left, right: this.additive() };
    }
    if (this.isOp("=~")) {
      this.next();
      return { kind: "like", negated: false, operand: left, pattern: this.additive() };
    }
    let negated = false;
    if (this.isWord("not") && ["like", "in"].includes((this.tokens[this.index + 1]?.value ?? "").toLowerCase())) {
      this.next();
      negated = true;
    }
    if (this.isWord("like")) {
      this.next();
      return { kind: "like", negated, operand: left, pattern: this.additive() };
    }
    if (this.isWord("in")) {
      this.next();
      this.expectOp("[");
      const list = this.isOp("]") ? [] : this.list(() => this.additive());
      this.expectOp("]");
      return { kind: "in", negated, operand: left, list };
    }
    if (negated) this.error();
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().text as BinaryOp;
      left = { kind: "binary", op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.next().text as BinaryOp;
      left = { kind: "binary", op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp("-")) {
      this.next();
      return { kind: "unary", op: "-", operand: this.unary() };
    }
    const base = this.primary();
    if (this.isOp("^")) {
      this.next();
      return { kind: "binary", op: "^", left: base, right: this.unary() };
    }
    return base;
  }

  private primary(): Expr {
    const token = this.token;
    switch (token.kind) {
      case "number":
        this.next();
        return { kind: "literal", value: token.number ?? 0 };
      case "duration":
        this.next();
        return { kind: "duration", ms: token.number ?? 0 };
      case "string":
        this.next();
        return { kind: "literal", value: token.value };
      case "regex":
        this.next();
        return { kind: "regex", regex: this.regex(token) };
      case "ident": {
        this.next();
        if (this.isOp("(") && !token.text.startsWith("`")) {
          this.next();
          const name = token.value.toLowerCase();
          if (this.isOp(")")) {
            this.next();
            return { kind: "call", name, args: [], star: false };
          }
          if (this.isOp("*")) {
            this.next();
            this.expectOp(")");
            return { kind: "call", name, args: [], star: true };
          }
          const args = this.list(() => this.expr());
          this.expectOp(")");
          return { kind: "call", name, args, star: false };
        }
        const lower = token.value.toLowerCase();
        if (!token.text.startsWith("`") && (lower === "true" || lower === "false")) {
          return { kind: "literal", value: lower === "true" };
        }
        if (!token.text.startsWith("`") && lower === "null") return { kind: "literal", value: null };
        const name = token.value.startsWith("$.") ? token.value.slice(2) : token.value;
        return { kind: "field", name };
      }
      case "op":
        if (token.text === "(") {
          this.next();
          const inner = this.expr();
          this.expectOp(")");
          return inner;
        }
        return this.error();
      default:
        return this.error();
    }
  }
}

export function containsAggregate(expr: Expr): boolean {
  switch (expr.kind) {
    case "call":
      return AGGREGATES.has(expr.name) || expr.args.some(containsAggregate);
    case "unary":
      return containsAggregate(expr.operand);
    case "binary":
      return containsAggregate(expr.left) || containsAggregate(expr.right);
    case "like":
      return containsAggregate(expr.operand);
    case "in":
      return containsAggregate(expr.operand);
    default:
      return false;
  }
}

/** Parses a query; throws QuerySyntaxError with the line and position of the first symbol it cannot accept. */
export function parseQuery(text: string): Command[] {
  const commands = new Parser(text, tokenize(text)).query();
  for (const command of commands) {
    const exprs =
      command.kind === "filter"
        ? [command.expr]
        : command.kind === "fields" || command.kind === "display"
          ? command.items.map((item) => item.expr)
          : command.kind === "sort"
            ? command.keys.map((key) => key.expr)
            : command.kind === "stats"
              ? command.by.map((item) => item.expr)
              : [];
    if (exprs.some(containsAggregate)) {
      throw new QuerySyntaxError(`Aggregate functions can only be used in stats (in ${command.kind})`);
    }
  }
  return commands;
}
