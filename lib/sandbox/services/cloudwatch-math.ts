// CloudWatch metric math: the expressions GetMetricData accepts beside MetricStat queries — arithmetic between
// query ids and constants (`100 * m1 / m2`), SUM/AVG/MIN/MAX/ABS, and SEARCH('…', 'Stat', Period).
import { AwsError } from "../service";

export type Expr =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "id"; readonly name: string }
  | { readonly kind: "negate"; readonly operand: Expr }
  | { readonly kind: "binary"; readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[] };

/** Points in ascending time order (epoch ms). */
export interface TimeSeries {
  readonly label: string;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export type MathValue = number | TimeSeries | readonly TimeSeries[];

export interface MathEnvironment {
  /** The value of another query, by id (computed whole, whatever ReturnData says). */
  reference(id: string): MathValue;
  search(query: string, stat: string, period: number): TimeSeries[];
}

export function mathError(id: string, message: string): AwsError {
  return new AwsError("InvalidParameterValueException", `Error in expression ${id}: ${message}`);
}

type Token =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "name"; value: string }
  | { kind: "punct"; value: string };

function tokenize(id: string, text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!match) throw mathError(id, `Unexpected character '${c}'`);
      tokens.push({ kind: "number", value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "name", value: match[0] });
      i += match[0].length;
    } else if (c === "'" || c === '"') {
      // A string ends at the same quote; the other quote may appear inside (SEARCH's `Dim="v"`).
      let j = i + 1;
      let value = "";
      while (j < text.length && text.charAt(j) !== c) {
        if (text.charAt(j) === "\\" && j + 1 < text.length) j++;
        value += text.charAt(j);
        j++;
      }
      if (j >= text.length) throw mathError(id, "Unterminated string");
      tokens.push({ kind: "string", value });
      i = j + 1;
    } else if ("+-*/^(),".includes(c)) {
      tokens.push({ kind: "punct", value: c });
      i++;
    } else {
      throw mathError(id, `Unexpected character '${c}'`);
    }
  }
  return tokens;
}

/** Parses an expression; precedence as usual (^ over * / over + -), left-associative. */
export function parseExpression(id: string, text: string): Expr {
  const tokens = tokenize(id, text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isPunct = (value: string): boolean => {
    const token = peek();
    return token?.kind === "punct" && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isPunct(value)) throw mathError(id, `Expected '${value}'`);
    at++;
  };

  const primary = (): Expr => {
    const token = peek();
    if (!token) throw mathError(id, "Unexpected end of expression");
    at++;
    if (token.kind === "number") return { kind: "number", value: token.value };
    if (token.kind === "string") return { kind: "string", value: token.value };
    if (token.kind === "name") {
      if (!isPunct("(")) return { kind: "id", name: token.value };
      at++;
      const args: Expr[] = [];
      if (!isPunct(")")) {
        args.push(sum());
        while (isPunct(",")) {
          at++;
          args.push(sum());
        }
      }
      expect(")");
      return { kind: "call", name: token.value.toUpperCase(), args };
    }
    if (token.value === "(") {
      const inner = sum();
      expect(")");
      return inner;
    }
    if (token.value === "-") return { kind: "negate", operand: unary() };
    throw mathError(id, `Unexpected '${token.value}'`);
  };
  const unary = (): Expr => primary();
  const power = (): Expr => {
    const left = unary();
    if (isPunct("^")) {
      at++;
      return { kind: "binary", op: "^", left, right: power() };
    }
    return left;
  };
  const product = (): Expr => {
    let left = power();
    while (isPunct("*") || isPunct("/")) {
      const op = (peek() as Token).value as "*" | "/";
      at++;
      left = { kind: "binary", op, left, right: power() };
    }
    return left;
  };
  const sum = (): Expr => {
    let left = product();
    while (isPunct("+") || isPunct("-")) {
      const op = (peek() as Token).value as "+" | "-";
      at++;
      left = { kind: "binary", op, left, right: product() };
    }
    return left;
  };

  const expr = sum();
  if (at < tokens.length) throw mathError(id, `Unexpected token at position ${at + 1}`);
  return expr;
}

/** The query ids an expression reads. */
export function referencedIds(expr: Expr): string[] {
  switch (expr.kind) {
    case "id":
      return [expr.name];
    case "negate":
      return referencedIds(expr.operand);
    case "binary":
      return [...referencedIds(expr.left), ...referencedIds(expr.right)];
    case "call":
      return expr.args.flatMap(referencedIds);
    default:
      return [];
  }
}

function apply(op: "+" | "-" | "*" | "/" | "^", a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return a ** b;
  }
}

/** Keeps finite results only: a division by zero leaves no point, as on CloudWatch. */
function finite(label: string, timestamps: number[], values: number[]): TimeSeries {
  const t: number[] = [];
  const v: number[] = [];
  values.forEach((value, i) => {
    if (Number.isFinite(value)) {
      t.push(timestamps[i] as number);
      v.push(value);
    }
  });
  return { label, timestamps: t, values: v };
}

function combine(label: string, op: "+" | "-" | "*" | "/" | "^", a: MathValue, b: MathValue): MathValue {
  if (typeof a === "number" && typeof b === "number") return apply(op, a, b);
  if (Array.isArray(a)) return (a as readonly TimeSeries[]).map((s) => combine(s.label, op, s, b) as TimeSeries);
  if (Array.isArray(b)) return (b as readonly TimeSeries[]).map((s) => combine(s.label, op, a, s) as TimeSeries);
  if (typeof a === "number") {
    const s = b as TimeSeries;
    return finite(
      label,
      [...s.timestamps],
      s.values.map((v) => apply(op, a, v)),
    );
  }
  if (typeof b === "number") {
    const s = a as TimeSeries;
    return finite(
      label,
      [...s.timestamps],
      s.values.map((v) => apply(op, v, b)),
    );
  }
  // Two series: only the timestamps both have.
  const left = a as TimeSeries;
  const right = b as TimeSeries;
  const byTime = new Map(right.timestamps.map((t, i) => [t, right.values[i] as number]));
  const timestamps: number[] = [];
  const values: number[] = [];
  left.timestamps.forEach((t, i) => {
    const other = byTime.get(t);
    if (other === undefined) return;
    timestamps.push(t);
    values.push(apply(op, left.values[i] as number, other));
  });
  return finite(label, timestamps, values);
}

type Reducer = (values: readonly number[]) => number;
const REDUCERS: Record<string, Reducer> = {
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MIN: (v) => Math.min(...v),
  MAX: (v) => Math.max(...v),
};

/** Across series, point by point: one series whose points are the reduction of every series that has one. */
function reduceAcross(label: string, series: readonly TimeSeries[], reduce: Reducer): TimeSeries {
  const byTime = new Map<number, number[]>();
  for (const s of series) {
    s.timestamps.forEach((t, i) => {
      const list = byTime.get(t) ?? [];
      list.push(s.values[i] as number);
      byTime.set(t, list);
    });
  }
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  return finite(
    label,
    timestamps,
    timestamps.map((t) => reduce(byTime.get(t) as number[])),
  );
}

export function evaluate(id: string, label: string, expr: Expr, env: MathEnvironment): MathValue {
  switch (expr.kind) {
    case "number":
      return expr.value;
    case "string":
      throw mathError(id, "A string is only allowed as an argument of SEARCH");
    case "id":
      return env.reference(expr.name);
    case "negate":
      return combine(label, "*", -1, evaluate(id, label, expr.operand, env));
    case "binary":
      return combine(label, expr.op, evaluate(id, label, expr.left, env), evaluate(id, label, expr.right, env));
    case "call":
      return call(id, label, expr, env);
  }
}

function call(id: string, label: string, expr: Extract<Expr, { kind: "call" }>, env: MathEnvironment): MathValue {
  if (expr.name === "SEARCH") {
    const [query, stat, period] = expr.args;
    if (query?.kind !== "string" || stat?.kind !== "string" || period?.kind !== "number" || expr.args.length !== 3) {
      throw mathError(id, "SEARCH takes a search string, a statistic and a period: SEARCH('…', 'Average', 300)");
    }
    return env.search(query.value, stat.value, period.value);
  }
  if (expr.name === "ABS") {
    const [arg] = expr.args;
    if (!arg || expr.args.length !== 1) throw mathError(id, "ABS takes one argument");
    return mapValue(label, evaluate(id, label, arg, env), Math.abs);
  }
  const reduce = REDUCERS[expr.name];
  if (!reduce) throw mathError(id, `Unknown function ${expr.name}`);
  if (expr.args.length === 0) throw mathError(id, `${expr.name} needs an argument`);
  const values = expr.args.map((arg) => evaluate(id, label, arg, env));
  const series = values.flatMap((v) => (typeof v === "number" ? [] : Array.isArray(v) ? v : [v as TimeSeries]));
  if (values.length === 1 && !Array.isArray(values[0])) {
    // One series reduces over time to one number, as CloudWatch's SUM(m1) does.
    const only = values[0] as number | TimeSeries;
    return typeof only === "number" ? only : only.values.length > 0 ? reduce(only.values) : Number.NaN;
  }
  return reduceAcross(label, series, reduce);
}

function mapValue(label: string, value: MathValue, f: (v: number) => number): MathValue {
  if (typeof value === "number") return f(value);
  if (Array.isArray(value)) return (value as readonly TimeSeries[]).map((s) => mapValue(s.label, s, f) as TimeSeries);
  const s = value as TimeSeries;
  return finite(label, [...s.timestamps], s.values.map(f));
}
