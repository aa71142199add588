// X-Ray filter expressions: a parser to a small tree, and an evaluator over a trace's facts (./xray-traces.ts).
// Syntax as the X-Ray developer guide documents it: `keyword operator value`, combined with AND/OR/NOT (or &&, ||,
// !) and parentheses; boolean keywords stand alone; `service("api") { fault }` narrows the keywords in the block to
// that service's node. responsetime and duration are seconds.
import {
  type AnnotationScalar,
  type HttpFacts,
  type NodeFacts,
  type ServiceRef,
  seconds,
  type TraceFacts,
} from "./xray-traces";

export type FlagKeyword = "ok" | "error" | "fault" | "throttle" | "partial";
export type NumberKeyword = "responsetime" | "duration" | "http.status";
export type StringKeyword = "http.url" | "http.method" | "http.useragent" | "http.clientip";
export type NumberOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type StringOperator = "=" | "!=" | "CONTAINS" | "BEGINSWITH" | "ENDSWITH";
export type Operator = NumberOperator | StringOperator;

/** Who a complex keyword names: `"api"` or `id(name: "api", type: "AWS::ECS::Container")`; empty names any. */
export interface ServicePattern {
  readonly name?: string;
  readonly type?: string;
}

export type Filter =
  | { readonly kind: "and" | "or"; readonly left: Filter; readonly right: Filter }
  | { readonly kind: "not"; readonly operand: Filter }
  | { readonly kind: "flag"; readonly keyword: FlagKeyword; readonly value: boolean }
  | { readonly kind: "number"; readonly keyword: NumberKeyword; readonly op: NumberOperator; readonly value: number }
  | { readonly kind: "string"; readonly keyword: StringKeyword; readonly op: StringOperator; readonly value: string }
  | { readonly kind: "annotation"; readonly key: string; readonly op?: Operator; readonly value?: AnnotationScalar }
  | { readonly kind: "service"; readonly service: ServicePattern; readonly block?: Filter }
  | {
      readonly kind: "edge";
      readonly source: ServicePattern;
      readonly destination: ServicePattern;
      readonly block?: Filter;
    };

/** A filter expression that does not parse; the service answers it with InvalidRequestException. */
export class FilterSyntaxError extends Error {
  override name = "FilterSyntaxError";
}

const FLAGS: readonly string[] = ["ok", "error", "fault", "throttle", "partial"];
const NUMBERS: readonly string[] = ["responsetime", "duration", "http.status"];
const STRINGS: readonly string[] = ["http.url", "http.method", "http.useragent", "http.clientip"];
const WORD_OPERATORS: readonly string[] = ["CONTAINS", "BEGINSWITH", "ENDSWITH"];

// ---------------------------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { readonly type: "word"; readonly text: string; readonly at: number }
  | { readonly type: "string"; readonly text: string; readonly at: number }
  | { readonly type: "number"; readonly value: number; readonly text: string; readonly at: number }
  | { readonly type: "symbol"; readonly text: string; readonly at: number }
  | { readonly type: "end"; readonly text: ""; readonly at: number };

const SYMBOLS = ["&&", "||", "!=", "<=", ">=", "=", "<", ">", "!", "(", ")", "{", "}", "[", "]", ",", ":"];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let text = "";
      let j = i + 1;
      while (j < source.length && source.charAt(j) !== c) {
        if (source.charAt(j) === "\\" && j + 1 < source.length) j++;
        text += source.charAt(j);
        j++;
      }
      if (j >= source.length) throw syntax(`unterminated string starting at position ${i + 1}`);
      tokens.push({ type: "string", text, at: i });
      i = j + 1;
      continue;
    }
    const number = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i));
    if (number && (c !== "-" || /\d|\./.test(source.charAt(i + 1)))) {
      tokens.push({ type: "number", value: Number(number[0]), text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w.-]*/.exec(source.slice(i));
    if (word) {
      tokens.push({ type: "word", text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
    if (!symbol) throw syntax(`unexpected character '${c}' at position ${i + 1}`);
    tokens.push({ type: "symbol", text: symbol, at: i });
    i += symbol.length;
  }
  tokens.push({ type: "end", text: "", at: source.length });
  return tokens;
}

function syntax(detail: string): FilterSyntaxError {
  return new FilterSyntaxError(`Invalid filter expression: ${detail}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: or := and (OR and)*; and := unary (AND unary)*; unary := NOT unary | primary

export function parseFilter(source: string): Filter {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): Token => tokens[position] ?? { type: "end", text: "", at: source.length };
  const next = (): Token => {
    const token = peek();
    position++;
    return token;
  };
  const describe = (token: Token) => (token.type === "end" ? "end of expression" : `'${token.text}'`);
  const unexpected = (token: Token, expected: string) =>
    syntax(`unexpected ${describe(token)} at position ${token.at + 1}, expected ${expected}`);
  const isWord = (token: Token, ...words: string[]) =>
    token.type === "word" && words.includes(token.text.toUpperCase());
  const isSymbol = (token: Token, ...symbols: string[]) => token.type === "symbol" && symbols.includes(token.text);
  const expectSymbol = (symbol: string) => {
    const token = next();
    if (!isSymbol(token, symbol)) throw unexpected(token, `'${symbol}'`);
  };

  const or = (): Filter => {
    let left = and();
    while (isWord(peek(), "OR") || isSymbol(peek(), "||")) {
      next();
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Filter => {
    let left = unary();
    while (isWord(peek(), "AND") || isSymbol(peek(), "&&")) {
      next();
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  const unary = (): Filter => {
    if (isWord(peek(), "NOT") || isSymbol(peek(), "!")) {
      next();
      return { kind: "not", operand: unary() };
    }
    return primary();
  };
  const primary = (): Filter => {
    const token = next();
    if (isSymbol(token, "(")) {
      const inner = or();
      expectSymbol(")");
      return inner;
    }
    if (token.type !== "word") throw unexpected(token, "a keyword");
    const keyword = token.text.toLowerCase();
    if (keyword === "service" || keyword === "id") {
      const service = keyword === "id" ? idArguments() : serviceArgument();
      return { kind: "service", service, ...block() };
    }
    if (keyword === "edge") {
      expectSymbol("(");
      const source = pattern();
      expectSymbol(",");
      const destination = pattern();
      expectSymbol(")");
      return { kind: "edge", source, destination, ...block() };
    }
    if (FLAGS.includes(keyword)) return flag(keyword as FlagKeyword);
    if (NUMBERS.includes(keyword)) return numberComparison(keyword as NumberKeyword);
    if (STRINGS.includes(keyword)) return stringComparison(keyword as StringKeyword);
    if (keyword.startsWith("annotation.") && keyword.length > "annotation.".length) {
      return annotation(token.text.slice("annotation.".length));
    }
    if (keyword === "annotation" && isSymbol(peek(), "[")) {
      next();
      const key = next();
      if (key.type !== "word" && key.type !== "string") throw unexpected(key, "an annotation key");
      expectSymbol("]");
      return annotation(key.text);
    }
    throw syntax(`unknown keyword '${token.text}' at position ${token.at + 1}`);
  };

  /** `service("api")`, `service()` or `service(id(name: "api"))`. */
  const serviceArgument = (): ServicePattern => {
    expectSymbol("(");
    if (isSymbol(peek(), ")")) {
      next();
      return {};
    }
    const found = pattern();
    expectSymbol(")");
    return found;
  };
  const pattern = (): ServicePattern => {
    const token = next();
    if (token.type === "string") return { name: token.text };
    if (token.type === "word" && token.text.toLowerCase() === "id") return idArguments();
    throw unexpected(token, "a service name in quotes or id(...)");
  };
  /** `id(name: "api", type: "AWS::ECS::Container")`, the opening `id` already read. */
  const idArguments = (): ServicePattern => {
    expectSymbol("(");
    const found: { name?: string; type?: string } = {};
    while (!isSymbol(peek(), ")")) {
      const key = next();
      if (key.type !== "word" || !["name", "type", "account.id"].includes(key.text)) {
        throw unexpected(key, "name, type or account.id");
      }
      expectSymbol(":");
      const value = next();
      if (value.type !== "string") throw unexpected(value, "a string in quotes");
      if (key.text === "name") found.name = value.text;
      if (key.text === "type") found.type = value.text;
      if (isSymbol(peek(), ",")) next();
      else if (!isSymbol(peek(), ")")) throw unexpected(peek(), "',' or ')'");
    }
    next();
    return found;
  };
  const block = (): { block?: Filter } => {
    if (!isSymbol(peek(), "{")) return {};
    next();
    const inner = or();
    expectSymbol("}");
    return { block: inner };
  };

  const flag = (keyword: FlagKeyword): Filter => {
    if (!isSymbol(peek(), "=", "!=")) return { kind: "flag", keyword, value: true };
    const op = next().text;
    const value = next();
    if (!isWord(value, "TRUE", "FALSE")) throw unexpected(value, `true or false after ${keyword} ${op}`);
    const wanted = value.text.toLowerCase() === "true";
    return { kind: "flag", keyword, value: op === "=" ? wanted : !wanted };
  };
  const operator = (keyword: string): Operator => {
    const token = next();
    if (token.type === "symbol" && ["=", "!=", "<", "<=", ">", ">="].includes(token.text)) {
      return token.text as NumberOperator;
    }
    if (token.type === "word" && WORD_OPERATORS.includes(token.text.toUpperCase())) {
      return token.text.toUpperCase() as StringOperator;
    }
    throw unexpected(token, `an operator after ${keyword}`);
  };
  const numberComparison = (keyword: NumberKeyword): Filter => {
    const op = operator(keyword);
    if (WORD_OPERATORS.includes(op)) throw syntax(`${op} does not apply to the number keyword ${keyword}`);
    const value = next();
    if (value.type !== "number") throw unexpected(value, `a number after ${keyword} ${op}`);
    return { kind: "number", keyword, op: op as NumberOperator, value: value.value };
  };
  const stringComparison = (keyword: StringKeyword): Filter => {
    const op = operator(keyword);
    if (["<", "<=", ">", ">="].includes(op)) throw syntax(`${op} does not apply to the string keyword ${keyword}`);
    const value = next();
    if (value.type !== "string") throw unexpected(value, `a string in quotes after ${keyword} ${op}`);
    return { kind: "string", keyword, op: op as StringOperator, value: value.text };
  };
  const annotation = (key: string): Filter => {
    const following = peek();
    if (!(following.type === "symbol" && ["=", "!=", "<", "<=", ">", ">="].includes(following.text))) {
      if (!(following.type === "word" && WORD_OPERATORS.includes(following.text.toUpperCase()))) {
        return { kind: "annotation", key };
      }
    }
    const op = operator(`annotation.${key}`);
    const value = next();
    if (value.type === "string") {
      if (["<", "<=", ">", ">="].includes(op)) throw syntax(`${op} does not apply to a string value`);
      return { kind: "annotation", key, op, value: value.text };
    }
    if (WORD_OPERATORS.includes(op)) throw unexpected(value, `a string in quotes after ${op}`);
    if (value.type === "number") return { kind: "annotation", key, op, value: value.value };
    if (isWord(value, "TRUE", "FALSE")) {
      if (op !== "=" && op !== "!=") throw syntax(`${op} does not apply to a boolean value`);
      return { kind: "annotation", key, op, value: value.text.toLowerCase() === "true" };
    }
    throw unexpected(value, "a string, number or boolean value");
  };

  if (peek().type === "end") throw syntax("the expression is empty");
  const filter = or();
  if (peek().type !== "end") throw unexpected(peek(), "AND, OR or the end of the expression");
  return filter;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation: at the top, keywords read the trace (its entry point for response time and HTTP); inside a service
// or edge block they read that node.

type Scope = { readonly trace: TraceFacts } | { readonly trace: TraceFacts; readonly node: NodeFacts };

export function matchesFilter(filter: Filter, trace: TraceFacts): boolean {
  return evaluate(filter, { trace });
}

function evaluate(filter: Filter, scope: Scope): boolean {
  switch (filter.kind) {
    case "and":
      return evaluate(filter.left, scope) && evaluate(filter.right, scope);
    case "or":
      return evaluate(filter.left, scope) || evaluate(filter.right, scope);
    case "not":
      return !evaluate(filter.operand, scope);
    case "flag":
      return flagOf(scope, filter.keyword) === filter.value;
    case "number": {
      const value = numberOf(scope, filter.keyword);
      return value !== undefined && compareNumbers(value, filter.op, filter.value);
    }
    case "string": {
      const value = stringOf(httpOf(scope), filter.keyword);
      return value !== undefined && compareStrings(value, filter.op, filter.value);
    }
    case "annotation":
      return annotationsOf(scope, filter.key).some((value) => compareAnnotation(value, filter.op, filter.value));
    case "service":
      return scope.trace.nodes.some(
        (node) =>
          matchesPattern(node.service, filter.service) &&
          (!filter.block || evaluate(filter.block, { trace: scope.trace, node })),
      );
    case "edge":
      return scope.trace.nodes.some(
        (node) =>
          node.caller !== undefined &&
          matchesPattern(node.caller, filter.source) &&
          matchesPattern(node.service, filter.destination) &&
          (!filter.block || evaluate(filter.block, { trace: scope.trace, node })),
      );
  }
}

function matchesPattern(service: ServiceRef, pattern: ServicePattern): boolean {
  return (
    (pattern.name === undefined || pattern.name === service.name) &&
    (pattern.type === undefined || pattern.type === service.type)
  );
}

function nodeOf(scope: Scope): NodeFacts | undefined {
  return "node" in scope ? scope.node : undefined;
}

function flagOf(scope: Scope, keyword: FlagKeyword): boolean {
  const node = nodeOf(scope);
  const subject = node ?? scope.trace.root;
  const throttle = node ? node.throttle : scope.trace.nodes.some((n) => n.throttle);
  switch (keyword) {
    case "fault":
      return subject.fault;
    case "error":
      return subject.error;
    case "throttle":
      return throttle;
    case "ok":
      return !subject.fault && !subject.error && !throttle;
    case "partial":
      return node ? false : scope.trace.partial;
  }
}

function numberOf(scope: Scope, keyword: NumberKeyword): number | undefined {
  const node = nodeOf(scope);
  switch (keyword) {
    case "responsetime": {
      const subject = node ?? scope.trace.root;
      return seconds(subject.end - subject.start);
    }
    case "duration":
      return node ? seconds(node.end - node.start) : seconds(scope.trace.end - scope.trace.start);
    case "http.status":
      return httpOf(scope)?.status;
  }
}

function httpOf(scope: Scope): HttpFacts | undefined {
  return (nodeOf(scope) ?? scope.trace.root).http;
}

function stringOf(http: HttpFacts | undefined, keyword: StringKeyword): string | undefined {
  switch (keyword) {
    case "http.url":
      return http?.url;
    case "http.method":
      return http?.method;
    case "http.useragent":
      return http?.userAgent;
    case "http.clientip":
      return http?.clientIp;
  }
}

function annotationsOf(scope: Scope, key: string): AnnotationScalar[] {
  const nodes = "node" in scope ? [scope.node] : scope.trace.nodes;
  const values: AnnotationScalar[] = [];
  for (const node of nodes) {
    const value = node.annotations[key];
    if (value !== undefined) values.push(value);
  }
  return values;
}

function compareNumbers(left: number, op: NumberOperator, right: number): boolean {
  switch (op) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

function compareStrings(left: string, op: StringOperator, right: string): boolean {
  switch (op) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "CONTAINS":
      return left.includes(right);
    case "BEGINSWITH":
      return left.startsWith(right);
    case "ENDSWITH":
      return left.endsWith(right);
  }
}

function compareAnnotation(value: AnnotationScalar, op: Operator | undefined, wanted: AnnotationScalar | undefined) {
  if (op === undefined || wanted === undefined) return true; // `annotation.key` alone: the key is present
  if (typeof value !== typeof wanted) return op === "!=";
  if (typeof value === "number" && typeof wanted === "number") {
    return compareNumbers(value, op as NumberOperator, wanted);
  }
  if (typeof value === "string" && typeof wanted === "string") {
    return compareStrings(value, op as StringOperator, wanted);
  }
  return op === "=" ? value === wanted : value !== wanted;
}
