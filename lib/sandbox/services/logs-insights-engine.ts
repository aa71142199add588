// The Logs Insights evaluator: runs parsed commands over a stream of log records. Records are pushed one at a time
// through a chain of stages (fields, filter, parse, …), so only what a stage must keep stays in memory: the groups of
// `stats`, the best K rows of `sort … | limit K`, the rows returned.
import { AGGREGATES, type BinaryOp, type Command, type Expr, type Named, parseQuery } from "./logs-insights-parser";

export interface LogRecord {
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  readonly logStream: string;
  /** As `@log` shows it: `<account>:<log group name>`. */
  readonly log: string;
}

export type Value = string | number | boolean | Date | null;

export interface ResultField {
  field: string;
  value: string;
}

export interface QueryOutcome {
  rows: ResultField[][];
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export interface RunOptions {
  /** Rows returned at most (StartQuery's `limit`; 10,000 when absent). */
  limit?: number;
  /** The `@ptr` of a returned record; no `@ptr` field when absent. */
  pointer?: (record: LogRecord) => string;
}

export const DEFAULT_LIMIT = 10_000;

/** A record on its way through the commands, with the fields the query has made so far. */
export class Row {
  private extra: Map<string, Value> | undefined;
  private json: Record<string, unknown> | null | undefined;

  constructor(readonly record: LogRecord | undefined) {}

  set(name: string, value: Value): void {
    this.extra ??= new Map();
    this.extra.set(name, value);
  }

  get(name: string): Value {
    const extra = this.extra?.get(name);
    if (extra !== undefined) return extra;
    const record = this.record;
    if (!record) return null;
    switch (name) {
      case "@timestamp":
        return new Date(record.timestamp);
      case "@message":
        return record.message;
      case "@logStream":
        return record.logStream;
      case "@log":
        return record.log;
      case "@ingestionTime":
        return new Date(record.ingestionTime);
      default:
        return this.discovered(name);
    }
  }

  /** Fields of a JSON message, flattened with dots as Logs Insights discovers them (`a.b`, `list.0`). */
  private discovered(name: string): Value {
    if (this.json === undefined) {
      this.json = null;
      const message = this.record?.message ?? "";
      if (message.charCodeAt(0) === 123 /* { */) {
        try {
          const parsed: unknown = JSON.parse(message);
          if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
            this.json = parsed as Record<string, unknown>;
          }
        } catch {
          // not JSON after all: no discovered fields
        }
      }
    }
    if (!this.json) return null;
    let node: unknown = this.json;
    for (const part of name.replace(/\[(\d+)\]/g, ".$1").split(".")) {
      if (node === null || typeof node !== "object") return null;
      node = (node as Record<string, unknown>)[part];
    }
    if (node === undefined || node === null) return null;
    if (typeof node === "object") return JSON.stringify(node);
    return node as string | number | boolean;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A number when the value is one or reads as one ("4750" compares as 4750). */
export function numeric(value: Value): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

function text(value: Value): string {
  if (value === null) return "";
  if (value instanceof Date) return formatTimestamp(value.getTime());
  return String(value);
}

function truthy(value: Value): boolean {
  if (value === null || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value !== "" && value !== "false";
  return true;
}

/** `2026-11-28 00:01:02.123`, as Logs Insights returns timestamps. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** A value as GetQueryResults returns it: always a string. */
export function formatValue(value: Value): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  return text(value);
}

function equal(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null && (typeof a !== "boolean" || typeof b !== "string")) return x === y;
  return text(a) === text(b);
}

function order(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null) return x - y;
  const s = text(a);
  const t = text(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

const CHUNK = /(\d+|\D+)/g;

/**
 * Sort order as the documentation describes it: numbers after everything else and by value; other text in
 * chunks, digit runs by length then value, the rest by code point. Missing values go last either way.
 */
export function compareForSort(a: Value, b: Value): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null) return 1;
  if (y !== null) return -1;
  const s = text(a);
  const t = text(b);
  if (s === t) return 0;
  const left = s.match(CHUNK) ?? [];
  const right = t.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const p = left[i] as string;
    const q = right[i] as string;
    if (p === q) continue;
    const pd = /^\d/.test(p);
    const qd = /^\d/.test(q);
    if (pd && qd) return p.length !== q.length ? p.length - q.length : p < q ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return left.length - right.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions, compiled to closures once per query

type Compiled = (row: Row) => Value;

const AGGREGATE_KEY = "\u0000agg";

function compile(expr: Expr, aggregates?: Map<Expr, number>): Compiled {
  switch (expr.kind) {
    case "field": {
      const name = expr.name;
      return (row) => row.get(name);
    }
    case "literal": {
      const value = expr.value;
      return () => value;
    }
    case "duration": {
      const ms = expr.ms;
      return () => ms;
    }
    case "regex": {
      const source = expr.regex.source;
      return () => source;
    }
    case "unary": {
      const operand = compile(expr.operand, aggregates);
      if (expr.op === "-") {
        return (row) => {
          const n = numeric(operand(row));
          return n === null ? null : -n;
        };
      }
      return (row) => {
        const v = operand(row);
        return v === null ? null : !truthy(v);
      };
    }
    case "binary":
      return compileBinary(expr.op, compile(expr.left, aggregates), compile(expr.right, aggregates));
    case "like": {
      const operand = compile(expr.operand, aggregates);
      const negated = expr.negated;
      const test = likeTest(expr.pattern, aggregates);
      return (row) => {
        const v = operand(row);
        if (v === null) return null;
        return test(text(v), row) !== negated;
      };
    }
    case "in": {
      const operand = compile(expr.operand, aggregates);
      const list = expr.list.map((item) => compile(item, aggregates));
      const negated = expr.negated;
      return (row) => {
        const v = operand(row);
        if (v === null) return null;
        return list.some((item) => equal(v, item(row)) === true) !== negated;
      };
    }
    case "call": {
      const slot = aggregates?.get(expr);
      if (slot !== undefined) {
        const key = `${AGGREGATE_KEY}${slot}`;
        return (row) => row.get(key);
      }
      if (AGGREGATES.has(expr.name)) throw new Error(`${expr.name} is only valid in stats`);
      return compileCall(expr.name, expr.args, aggregates);
    }
  }
}

function likeTest(pattern: Expr, aggregates?: Map<Expr, number>): (value: string, row: Row) => boolean {
  if (pattern.kind === "regex") {
    const regex = pattern.regex;
    return (value) => regex.test(value);
  }
  const needle = compile(pattern, aggregates);
  return (value, row) => value.includes(text(needle(row)));
}

function compileBinary(op: BinaryOp, left: Compiled, right: Compiled): Compiled {
  switch (op) {
    case "and":
      return (row) => {
        const a = left(row);
        if (a !== null && !truthy(a)) return false;
        const b = right(row);
        if (b !== null && !truthy(b)) return false;
        return a === null || b === null ? null : true;
      };
    case "or":
      return (row) => {
        const a = left(row);
        if (a !== null && truthy(a)) return true;
        const b = right(row);
        if (b !== null && truthy(b)) return true;
        return a === null || b === null ? null : false;
      };
    case "=":
      return (row) => equal(left(row), right(row));
    case "!=":
      return (row) => {
        const eq = equal(left(row), right(row));
        return eq === null ? null : !eq;
      };
    case "<":
    case "<=":
    case ">":
    case ">=":
      return (row) => {
        const c = order(left(row), right(row));
        if (c === null) return null;
        return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
      };
    default:
      return (row) => {
        const a = numeric(left(row));
        const b = numeric(right(row));
        if (a === null || b === null) return null;
        switch (op) {
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "*":
            return a * b;
          case "/":
            return b === 0 ? null : a / b;
          case "%":
            return b === 0 ? null : a % b;
          default:
            return a ** b;
        }
      };
  }
}

function compileCall(name: string, argExprs: readonly Expr[], aggregates?: Map<Expr, number>): Compiled {
  const args = argExprs.map((arg) => compile(arg, aggregates));
  const arg = (i: number): Compiled => args[i] ?? (() => null);
  const a0 = arg(0);
  const a1 = arg(1);
  const a2 = arg(2);
  const str = (f: (s: string, row: Row) => Value): Compiled => {
    return (row) => {
      const v = a0(row);
      return v === null ? null : f(text(v), row);
    };
  };
  const num = (f: (n: number, row: Row) => Value): Compiled => {
    return (row) => {
      const n = numeric(a0(row));
      return n === null ? null : f(n, row);
    };
  };
  const floorTo = (timestamp: Compiled, period: Compiled, up: boolean): Compiled => {
    return (row) => {
      const t = numeric(timestamp(row));
      const p = numeric(period(row));
      if (t === null || p === null || p <= 0) return null;
      return new Date((up ? Math.ceil(t / p) : Math.floor(t / p)) * p);
    };
  };
  switch (name) {
    case "bin":
      return floorTo((row) => row.get("@timestamp"), a0, false);
    case "datefloor":
      return floorTo(a0, a1, false);
    case "dateceil":
      return floorTo(a0, a1, true);
    case "frommillis":
      return num((n) => new Date(n));
    case "tomillis":
      return num((n) => n);
    case "abs":
      return num(Math.abs);
    case "ceil":
      return num(Math.ceil);
    case "floor":
      return num(Math.floor);
    case "round":
      return num(Math.round);
    case "sqrt":
      return num(Math.sqrt);
    case "log":
      return num(Math.log);
    case "greatest":
    case "least":
      return (row) => {
        const values = args.map((f) => numeric(f(row))).filter((n): n is number => n !== null);
        if (values.length === 0) return null;
        return name === "greatest" ? Math.max(...values) : Math.min(...values);
      };
    case "strlen":
      return str((s) => s.length);
    case "toupper":
      return str((s) => s.toUpperCase());
    case "tolower":
      return str((s) => s.toLowerCase());
    case "trim":
      return str((s) => s.trim());
    case "ltrim":
      return str((s) => s.trimStart());
    case "rtrim":
      return str((s) => s.trimEnd());
    case "concat":
      return (row) => args.map((f) => text(f(row))).join("");
    case "substr":
      return str((s, row) => {
        const start = numeric(a1(row)) ?? 0;
        const length = numeric(a2(row));
        return length === null ? s.slice(start) : s.slice(start, start + length);
      });
    case "replace":
      return str((s, row) => s.split(text(a1(row))).join(text(a2(row))));
    case "strcontains":
      return str((s, row) => s.includes(text(a1(row))));
    case "ispresent":
      return (row) => a0(row) !== null;
    case "isempty":
      return (row) => {
        const v = a0(row);
        return v === null || text(v) === "";
      };
    case "isblank":
      return (row) => {
        const v = a0(row);
        return v === null || text(v).trim() === "";
      };
    case "coalesce":
      return (row) => {
        for (const f of args) {
          const v = f(row);
          if (v !== null) return v;
        }
        return null;
      };
    case "if":
      return (row) => (truthy(a0(row)) ? a1(row) : a2(row));
    case "tonumber":
      return (row) => numeric(a0(row));
    case "tostring":
      return (row) => {
        const v = a0(row);
        return v === null ? null : text(v);
      };
    default:
      throw new Error(`unknown function ${name}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregates

interface Accumulator {
  add(row: Row): void;
  result(): Value;
}

/** Growable numbers without an object per value: percentiles over millions of records stay a few MB. */
class Numbers {
  private data = new Float64Array(64);
  length = 0;

  push(n: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = n;
  }

  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

function accumulatorFactory(call: Extract<Expr, { kind: "call" }>): () => Accumulator {
  const arg = call.args[0] ? compile(call.args[0]) : undefined;
  const value = (row: Row): Value => (arg ? arg(row) : null);
  const numberOf = (row: Row) => numeric(value(row));
  switch (call.name) {
    case "count":
      if (call.star || !arg) {
        return () => {
          let n = 0;
          return { add: () => void n++, result: () => n };
        };
      }
      return () => {
        let n = 0;
        return {
          add: (row) => {
            if (value(row) !== null) n++;
          },
          result: () => n,
        };
      };
    case "count_distinct":
      return () => {
        const seen = new Set<string>();
        return {
          add: (row) => {
            const v = value(row);
            if (v !== null) seen.add(text(v));
          },
          result: () => seen.size,
        };
      };
    case "sum":
    case "avg":
    case "stddev": {
      const kind = call.name;
      return () => {
        let n = 0;
        let sum = 0;
        let squares = 0;
        return {
          add: (row) => {
            const x = numberOf(row);
            if (x === null) return;
            n++;
            sum += x;
            squares += x * x;
          },
          result: () => {
            if (n === 0) return null;
            if (kind === "sum") return sum;
            if (kind === "avg") return sum / n;
            return n < 2 ? 0 : Math.sqrt(Math.max(0, (squares - (sum * sum) / n) / (n - 1)));
          },
        };
      };
    }
    case "min":
    case "max": {
      const max = call.name === "max";
      return () => {
        let best: Value = null;
        let bestNumber = 0;
        return {
          add: (row) => {
            const v = value(row);
            const x = numeric(v);
            if (x === null) return;
            if (best === null || (max ? x > bestNumber : x < bestNumber)) {
              best = v instanceof Date ? v : x;
              bestNumber = x;
            }
          },
          result: () => best,
        };
      };
    }
    case "pct":
    case "percentile":
    case "median": {
      const percent =
        call.name === "median" ? 50 : call.args[1] ? numeric(compile(call.args[1])(new Row(undefined))) : null;
      if (percent === null || percent < 0 || percent > 100) throw new Error(`${call.name} needs a percentile 0-100`);
      return () => {
        const values = new Numbers();
        return {
          add: (row) => {
            const x = numberOf(row);
            if (x !== null) values.push(x);
          },
          result: () => {
            if (values.length === 0) return null;
            const sorted = values.sorted();
            // Nearest rank.
            const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
            return sorted[rank - 1] ?? null;
          },
        };
      };
    }
    default: {
      // earliest / latest: the value at the first or last @timestamp.
      const latest = call.name === "latest";
      return () => {
        let at = latest ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        let kept: Value = null;
        return {
          add: (row) => {
            const t = row.record?.timestamp ?? numeric(row.get("@timestamp"));
            if (t === null || t === undefined) return;
            if (latest ? t >= at : t < at) {
              const v = value(row);
              if (v === null) return;
              at = t;
              kept = v;
            }
          },
          result: () => kept,
        };
      };
    }
  }
}

function collectAggregates(expr: Expr, out: Extract<Expr, { kind: "call" }>[]): void {
  switch (expr.kind) {
    case "call":
      if (AGGREGATES.has(expr.name)) out.push(expr);
      else for (const arg of expr.args) collectAggregates(arg, out);
      return;
    case "unary":
      collectAggregates(expr.operand, out);
      return;
    case "binary":
      collectAggregates(expr.left, out);
      collectAggregates(expr.right, out);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Stages

interface Sink {
  push(row: Row): void;
  end(): void;
}

/** A cheap grouping key: no date formatting per record. */
function groupKey(value: Value): string {
  if (value instanceof Date) return `d${value.getTime()}`;
  return typeof value === "number" ? `n${value}` : `s${String(value)}`;
}

function statsStage(items: readonly Named[], by: readonly Named[], next: Sink): Sink {
  const calls: Extract<Expr, { kind: "call" }>[] = [];
  for (const item of items) collectAggregates(item.expr, calls);
  const slots = new Map<Expr, number>(calls.map((call, i) => [call, i]));
  const factories = calls.map(accumulatorFactory);
  const outputs = items.map((item) => ({ name: item.name, value: compile(item.expr, slots) }));
  const keys = by.map((item) => ({ name: item.name, value: compile(item.expr) }));
  const binned = by.some((item) => item.expr.kind === "call" && item.expr.name === "bin");
  const groups = new Map<string, { values: Value[]; accumulators: Accumulator[] }>();
  return {
    push(row) {
      const values = keys.map((key) => key.value(row));
      const id = values.length === 1 ? groupKey(values[0] ?? null) : values.map(groupKey).join("\u0001");
      let group = groups.get(id);
      if (!group) {
        group = { values, accumulators: factories.map((make) => make()) };
        groups.set(id, group);
      }
      for (const accumulator of group.accumulators) accumulator.add(row);
    },
    end() {
      let list = [...groups.values()];
      // Time series come back in time order, newest first, as the console charts them.
      if (binned) {
        const at = by.findIndex((item) => item.expr.kind === "call" && item.expr.name === "bin");
        list = list.sort((a, b) => (numeric(b.values[at] ?? null) ?? 0) - (numeric(a.values[at] ?? null) ?? 0));
      }
      if (keys.length === 0 && list.length === 0)
        list = [{ values: [], accumulators: factories.map((make) => make()) }];
      for (const group of list) {
        const row = new Row(undefined);
        group.accumulators.forEach((accumulator, i) => {
          row.set(`${AGGREGATE_KEY}${i}`, accumulator.result());
        });
        keys.forEach((key, i) => {
          row.set(key.name, group.values[i] ?? null);
        });
        for (const output of outputs) row.set(output.name, output.value(row));
        next.push(row);
      }
      next.end();
    },
  };
}

function sortStage(keys: readonly { expr: Expr; desc: boolean }[], keep: number, next: Sink): Sink {
  const compiled = keys.map((key) => ({ value: compile(key.expr), desc: key.desc }));
  let buffer: { keys: Value[]; row: Row; seq: number }[] = [];
  let seq = 0;
  const compare = (a: { keys: Value[]; seq: number }, b: { keys: Value[]; seq: number }) => {
    for (let i = 0; i < compiled.length; i++) {
      const x = a.keys[i] ?? null;
      const y = b.keys[i] ?? null;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      const c = compareForSort(x, y);
      if (c !== 0) return compiled[i]?.desc ? -c : c;
    }
    return a.seq - b.seq;
  };
  return {
    push(row) {
      buffer.push({ keys: compiled.map((key) => key.value(row)), row, seq: seq++ });
      // Keep only the best `keep`: sort and cut whenever the buffer doubles.
      if (Number.isFinite(keep) && buffer.length >= Math.max(2 * keep, 1024)) {
        buffer.sort(compare);
        buffer = buffer.slice(0, keep);
      }
    },
    end() {
      buffer.sort(compare);
      const count = Math.min(buffer.length, keep);
      for (let i = 0; i < count; i++) next.push((buffer[i] as { row: Row }).row);
      buffer = [];
      next.end();
    },
  };
}

function counted(next: Sink, counter: { matched: number }): Sink {
  return {
    push(row) {
      counter.matched++;
      next.push(row);
    },
    end: () => next.end(),
  };
}

/** Which fields each returned row shows, and whether rows are log records (with `@ptr`) or stats rows. */
function visibleFields(commands: readonly Command[]): string[] {
  let explicit: string[] | undefined;
  const created: string[] = [];
  let display: string[] | undefined;
  const add = (list: string[], names: readonly string[]) => {
    for (const name of names) if (!list.includes(name)) list.push(name);
  };
  for (const command of commands) {
    switch (command.kind) {
      case "fields":
        explicit ??= [];
        add(
          explicit,
          command.items.map((item) => item.name),
        );
        break;
      case "parse":
        add(created, command.names);
        if (explicit) add(explicit, command.names);
        break;
      case "display":
        display = command.items.map((item) => item.name);
        break;
      case "stats":
        explicit = [...command.by.map((item) => item.name), ...command.items.map((item) => item.name)];
        created.length = 0;
        display = undefined;
        break;
      default:
        break;
    }
  }
  if (display) return display;
  if (explicit) return explicit;
  return ["@timestamp", "@message", "@logStream", "@log", ...created];
}

// ---------------------------------------------------------------------------------------------------------------
// Running a query

/** Runs a query (text or parsed commands) over records; the records are read once, in any order. */
export function runQuery(
  query: string | readonly Command[],
  records: Iterable<LogRecord>,
  options: RunOptions = {},
): QueryOutcome {
  const commands = typeof query === "string" ? parseQuery(query) : query;
  const limit = Math.min(options.limit ?? DEFAULT_LIMIT, DEFAULT_LIMIT);
  const rows: Row[] = [];
  const counter = { matched: 0 };
  const hasStats = commands.some((command) => command.kind === "stats");
  const hasSort = commands.some((command) => command.kind === "sort");
  // Without sort or stats, the newest records come first.
  let plan: Command[] = [...commands];
  if (!hasStats && !hasSort) {
    const sort: Command = { kind: "sort", keys: [{ expr: { kind: "field", name: "@timestamp" }, desc: true }] };
    const firstLimit = plan.findIndex((command) => command.kind === "limit");
    plan = firstLimit < 0 ? [...plan, sort] : [...plan.slice(0, firstLimit), sort, ...plan.slice(firstLimit)];
  }

  let sink: Sink = {
    push(row) {
      if (rows.length < limit) rows.push(row);
    },
    end() {},
  };
  const firstBlocking = plan.findIndex((command) => command.kind === "stats" || command.kind === "sort");
  if (firstBlocking < 0) sink = counted(sink, counter);
  for (let i = plan.length - 1; i >= 0; i--) {
    const command = plan[i] as Command;
    const next = sink;
    switch (command.kind) {
      case "fields": {
        // A plain field shown under its own name needs no work per record.
        const computed = command.items
          .filter((item) => item.expr.kind !== "field" || item.expr.name !== item.name)
          .map((item) => ({ name: item.name, value: compile(item.expr) }));
        sink =
          computed.length === 0
            ? next
            : {
                push(row) {
                  for (const item of computed) row.set(item.name, item.value(row));
                  next.push(row);
                },
                end: () => next.end(),
              };
        break;
      }
      case "display":
        break;
      case "filter": {
        const predicate = compile(command.expr);
        sink = {
          push(row) {
            if (truthy(predicate(row))) next.push(row);
          },
          end: () => next.end(),
        };
        break;
      }
      case "parse": {
        const source = compile(command.source);
        const { regex, names } = command;
        const named = regex.source.includes("(?<");
        sink = {
          push(row) {
            const v = source(row);
            const match = v === null ? null : regex.exec(text(v));
            names.forEach((name, j) => {
              row.set(name, match ? ((named ? match.groups?.[name] : match[j + 1]) ?? null) : null);
            });
            next.push(row);
          },
          end: () => next.end(),
        };
        break;
      }
      case "stats":
        sink = statsStage(command.items, command.by, next);
        break;
      case "sort":
        sink = sortStage(command.keys, keepAfter(plan, i, limit), next);
        break;
      case "limit": {
        let seen = 0;
        const count = command.count;
        sink = {
          push(row) {
            if (seen++ < count) next.push(row);
          },
          end: () => next.end(),
        };
        break;
      }
      case "dedup": {
        const fields = command.fields.map((field) => compile(field));
        const seen = new Set<string>();
        sink = {
          push(row) {
            const key = fields.map((f) => formatValue(f(row))).join("\u0001");
            if (seen.has(key)) return;
            seen.add(key);
            next.push(row);
          },
          end: () => next.end(),
        };
        break;
      }
    }
    if (i === firstBlocking) sink = counted(sink, counter);
  }

  let scanned = 0;
  let bytes = 0;
  for (const record of records) {
    scanned++;
    bytes += record.message.length + 26;
    sink.push(new Row(record));
  }
  sink.end();

  const fields = visibleFields(commands);
  const output = rows.map((row) => {
    const out: ResultField[] = [];
    for (const field of fields) {
      const value = row.get(field);
      if (value !== null) out.push({ field, value: formatValue(value) });
    }
    if (row.record && options.pointer) out.push({ field: "@ptr", value: options.pointer(row.record) });
    return out;
  });
  return { rows: output, recordsMatched: counter.matched, recordsScanned: scanned, bytesScanned: bytes };
}

/** How many rows a sort must keep: the limits that follow it before anything that drops or merges rows. */
function keepAfter(plan: readonly Command[], index: number, limit: number): number {
  let keep = limit;
  for (const command of plan.slice(index + 1)) {
    if (command.kind === "limit") keep = Math.min(keep, command.count);
    else if (command.kind !== "fields" && command.kind !== "display" && command.kind !== "parse") {
      return Number.POSITIVE_INFINITY;
    }
  }
  return keep;
}
