// GetMetricData over generated and stored series: periods and retention as CloudWatch applies them, statistics
// (percentiles from raw samples), metric math and SEARCH, labels, and paging by MaxDatapoints that computes only
// the periods a page returns.
import type { GetMetricDataOutput, MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { AwsError } from "../service";
import type { SandboxState } from "../state";
import type { StoredMetric } from "./cloudwatch";
import {
  type Expr,
  evaluate,
  type MathEnvironment,
  type MathValue,
  mathError,
  parseExpression,
  referencedIds,
  type TimeSeries,
} from "./cloudwatch-math";
import {
  Accumulator,
  type Catalog,
  type Dimension,
  type GeneratedSeries,
  Generator,
  type MetricName,
  metricKey,
  sortedDimensions,
} from "./cloudwatch-metrics";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;
const MAX_SEARCH_RESULTS = 500;
const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30];

export function invalidValue(message: string): AwsError {
  return new AwsError("InvalidParameterValueException", message);
}

// ---------------------------------------------------------------------------------------------------------------
// Sources: what one metric name resolves to.

/** A metric as both kinds of data know it: the generated series and what PutMetricData stored, either or both. */
export interface SeriesSource {
  readonly metric: MetricName;
  readonly generated?: GeneratedSeries;
  readonly stored?: StoredMetric;
}

/** The series of one request: the catalog is built at most once, and only when a query needs it. */
export class MetricWorld {
  private readonly generator: Generator;
  private readonly since: number;

  constructor(
    readonly state: SandboxState,
    readonly now: Date,
  ) {
    this.generator = new Generator(state, now);
    this.since = state.telemetry.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  }

  get catalog(): Catalog {
    return this.generator.catalog();
  }

  resolve(metric: MetricName): SeriesSource {
    const key = metricKey(metric);
    const generated = this.generator.find(metric);
    const stored = this.state.cloudWatch.metrics[key];
    return { metric, ...(generated ? { generated } : {}), ...(stored ? { stored } : {}) };
  }

  /** Every series with data in [from, to): generated first, then stored, each once. */
  all(from: number, to: number): SeriesSource[] {
    const out: SeriesSource[] = [];
    const seen = new Set<string>();
    for (const generated of this.catalog.series) {
      if (!generated.activeIn(from, to)) continue;
      const key = metricKey(generated.metric);
      seen.add(key);
      const stored = this.state.cloudWatch.metrics[key];
      out.push({ metric: generated.metric, generated, ...(stored ? { stored } : {}) });
    }
    for (const [key, stored] of Object.entries(this.state.cloudWatch.metrics)) {
      if (seen.has(key) || !stored.points.some((p) => p.t >= from && p.t < to)) continue;
      out.push({ metric: stored, stored });
    }
    return out;
  }

  /** One period's statistic, or undefined when the period has no data. */
  value(
    source: SeriesSource,
    stat: Statistic,
    unit: string | undefined,
    from: number,
    period: number,
  ): number | undefined {
    if (unit !== undefined) {
      const actual = source.generated?.unit ?? source.stored?.Unit ?? "None";
      if (actual !== unit) return undefined;
    }
    const acc = new Accumulator(stat.kind === "percentile");
    const to = from + period;
    if (source.generated) {
      // The minutes the model has telemetry for (as its `minutes()`), without building the list.
      const first = Math.ceil(Math.max(from, this.since) / MINUTE) * MINUTE;
      const end = Math.min(to, this.now.getTime());
      for (let t = first; t < end; t += MINUTE) source.generated.sample(new Date(t), acc);
    }
    const points = source.stored?.points;
    if (points) {
      const end = Math.min(to, this.now.getTime() + 2 * HOUR);
      for (let i = firstAtOrAfter(points, from); i < points.length && (points[i]?.t ?? end) < end; i++) {
        const point = points[i];
        if (!point) break;
        if (point.stats) acc.addStatistics(point.stats);
        point.values?.forEach((v, j) => {
          acc.add(v, point.counts?.[j] ?? 1);
        });
      }
    }
    return statistic(acc, stat);
  }
}

function firstAtOrAfter(points: readonly { t: number }[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid]?.t ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

export type Statistic =
  | { readonly kind: "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount" }
  | { readonly kind: "percentile"; readonly p: number };

export function parseStatistic(text: string): Statistic | undefined {
  if (["Average", "Sum", "Minimum", "Maximum", "SampleCount"].includes(text)) {
    return { kind: text as "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount" };
  }
  const match = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/.exec(text);
  return match ? { kind: "percentile", p: Number(match[1]) } : undefined;
}

function statistic(acc: Accumulator, stat: Statistic): number | undefined {
  if (acc.count === 0) return undefined;
  switch (stat.kind) {
    case "Average":
      return acc.sum / acc.count;
    case "Sum":
      return acc.sum;
    case "Minimum":
      return acc.min;
    case "Maximum":
      return acc.max;
    case "SampleCount":
      return acc.count;
    case "percentile": {
      // Nearest rank over the raw samples: the value below which p % of the samples fall.
      if (acc.samples.length === 0) return undefined;
      const sorted = [...acc.samples].sort((a, b) => a - b);
      const rank = Math.max(1, Math.ceil((stat.p / 100) * sorted.length));
      return sorted[Math.min(sorted.length, rank) - 1];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Periods, as CloudWatch's retention allows them.

export interface Window {
  /** The first period's start, rounded as CloudWatch rounds StartTime for the data's age. */
  readonly start: number;
  readonly end: number;
  readonly period: number;
  readonly count: number;
  /** False when the period does not suit the data's age: CloudWatch then returns no points. */
  readonly servable: boolean;
}

function checkPeriod(period: number | undefined, where: string): number {
  if (period === undefined || !Number.isInteger(period) || period < 1) {
    throw invalidValue(`The parameter ${where} must be a positive integer.`);
  }
  if (period % 60 !== 0 && !HIGH_RESOLUTION_PERIODS.includes(period)) {
    throw invalidValue(`The parameter ${where} must be 1, 5, 10, 20, 30, or any multiple of 60.`);
  }
  return period;
}

export function window(startTime: number, endTime: number, periodSeconds: number, now: number): Window {
  const period = periodSeconds * 1000;
  const age = now - startTime;
  const granularity = age > 63 * DAY ? HOUR : age > 15 * DAY ? 5 * MINUTE : Math.min(period, MINUTE);
  const start = Math.floor(startTime / granularity) * granularity;
  const needed = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : age > 3 * HOUR ? 60 : 1;
  const count = Math.max(0, Math.ceil((endTime - start) / period));
  return { start, end: endTime, period, count, servable: periodSeconds % needed === 0 };
}

/** Periods older than the longest retention (455 days) hold nothing. */
function retained(t: number, now: number): boolean {
  return t >= now - 455 * DAY;
}

function fullSeries(
  world: MetricWorld,
  source: SeriesSource,
  stat: Statistic,
  unit: string | undefined,
  w: Window,
  label: string,
): TimeSeries {
  const timestamps: number[] = [];
  const values: number[] = [];
  if (w.servable) {
    const now = world.now.getTime();
    for (let i = 0; i < w.count; i++) {
      const t = w.start + i * w.period;
      if (t >= now) break;
      if (!retained(t, now)) continue;
      const value = world.value(source, stat, unit, t, w.period);
      if (value === undefined) continue;
      timestamps.push(t);
      values.push(value);
    }
  }
  return { label, timestamps, values };
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

/** `${PROP('Dim.ClusterName')}`, `${PROP('MetricName')}`, … as CloudWatch's dynamic labels. */
function dynamicLabel(label: string, metric: MetricName, stat: string, periodSeconds: number): string {
  return label.replace(/\$\{PROP\('([^']+)'\)\}/g, (whole, prop: string) => {
    if (prop === "MetricName") return metric.MetricName;
    if (prop === "Namespace") return metric.Namespace;
    if (prop === "Stat") return stat;
    if (prop === "Period") return String(periodSeconds);
    if (prop.startsWith("Dim.")) return metric.Dimensions.find((d) => d.Name === prop.slice(4))?.Value ?? "";
    return whole;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// SEARCH

interface SearchQuery {
  readonly namespace?: string;
  /** Exactly these dimension names, when a schema `{Namespace,Dim,…}` is given. */
  readonly schema?: readonly string[];
  readonly equals: readonly { key: string; value: string }[];
  readonly terms: readonly string[];
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

export function parseSearch(id: string, text: string): SearchQuery {
  let rest = text;
  let namespace: string | undefined;
  let schema: string[] | undefined;
  const braces = /\{([^}]*)\}/.exec(rest);
  if (braces) {
    const parts = (braces[1] ?? "").split(",").map(unquote);
    namespace = parts[0];
    schema = parts.slice(1).filter((p) => p !== "");
    rest = rest.replace(braces[0], " ");
  }
  const equals: { key: string; value: string }[] = [];
  const terms: string[] = [];
  const token = /([A-Za-z0-9_.:/-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s"]+)|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let match = token.exec(rest); match; match = token.exec(rest)) {
    if (match[1] !== undefined && match[2] !== undefined) {
      equals.push({ key: match[1], value: unquote(match[2]) });
    } else if (match[3] !== undefined) {
      terms.push(match[3]);
    } else if (match[4] !== undefined) {
      const word = match[4];
      if (word === "OR" || word === "NOT") throw mathError(id, `SEARCH does not support ${word} in this sandbox`);
      if (word !== "AND" && word !== "(" && word !== ")") terms.push(word);
    }
  }
  return { ...(namespace ? { namespace } : {}), ...(schema ? { schema } : {}), equals, terms };
}

function matchesSearch(query: SearchQuery, metric: MetricName): boolean {
  if (query.namespace !== undefined && metric.Namespace !== query.namespace) return false;
  if (query.schema) {
    const names = metric.Dimensions.map((d) => d.Name);
    if (names.length !== query.schema.length || !query.schema.every((n) => names.includes(n))) return false;
  }
  for (const { key, value } of query.equals) {
    if (
      key === "MetricName"
        ? metric.MetricName !== value
        : key === "Namespace"
          ? metric.Namespace !== value
          : metric.Dimensions.find((d) => d.Name === key)?.Value !== value
    ) {
      return false;
    }
  }
  const haystack = [metric.Namespace, metric.MetricName, ...metric.Dimensions.flatMap((d) => [d.Name, d.Value])]
    .join(" ")
    .toLowerCase();
  return query.terms.every((term) => haystack.includes(term.toLowerCase()));
}

/** The label that tells one search result from another: the dimension values (and names) that differ. */
function searchLabels(metrics: readonly MetricName[]): string[] {
  const differs = (f: (m: MetricName) => string) => new Set(metrics.map(f)).size > 1;
  const names = [...new Set(metrics.flatMap((m) => m.Dimensions.map((d) => d.Name)))].sort();
  const varying = names.filter((n) => differs((m) => m.Dimensions.find((d) => d.Name === n)?.Value ?? ""));
  const showMetric = differs((m) => m.MetricName) || varying.length === 0;
  return metrics.map((m) => {
    const values = varying.map((n) => m.Dimensions.find((d) => d.Name === n)?.Value ?? "").filter((v) => v !== "");
    return [...values, ...(showMetric ? [m.MetricName] : [])].join(" ");
  });
}

// ---------------------------------------------------------------------------------------------------------------
// GetMetricData

interface Plan {
  readonly id: string;
  readonly query: MetricDataQuery;
  readonly expr?: Expr;
}

/** What one page returns for one result: either lazily computed periods or points already computed. */
type Unit =
  | {
      readonly kind: "stat";
      readonly id: string;
      readonly label: string;
      readonly source: SeriesSource;
      readonly stat: Statistic;
      readonly unit?: string;
      readonly window: Window;
    }
  | { readonly kind: "points"; readonly id: string; readonly series: TimeSeries };

interface Token {
  readonly unit: number;
  readonly offset: number;
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify({ u: token.unit, o: token.offset })).toString("base64");
}

function decodeToken(text: string | undefined): Token {
  if (!text) return { unit: 0, offset: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(text, "base64").toString("utf8")) as { u?: unknown; o?: unknown };
    if (typeof parsed.u === "number" && typeof parsed.o === "number") return { unit: parsed.u, offset: parsed.o };
  } catch {
    // falls through to the error below
  }
  throw invalidValue("The value of NextToken is invalid.");
}

export interface GetMetricDataInput {
  MetricDataQueries?: MetricDataQuery[];
  StartTime?: Date;
  EndTime?: Date;
  NextToken?: string;
  ScanBy?: string;
  MaxDatapoints?: number;
}

const ID = /^[a-z][a-zA-Z0-9_]*$/;

export function getMetricData(world: MetricWorld, input: GetMetricDataInput): GetMetricDataOutput {
  const queries = input.MetricDataQueries ?? [];
  if (!input.StartTime || !input.EndTime) throw invalidValue("StartTime and EndTime are required.");
  const startTime = input.StartTime.getTime();
  const endTime = input.EndTime.getTime();
  if (startTime >= endTime) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  if (queries.length === 0) throw invalidValue("The parameter MetricDataQueries is required.");
  if (queries.length > MAX_QUERIES) {
    throw invalidValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  }
  const maxDatapoints = input.MaxDatapoints ?? MAX_DATAPOINTS;
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1 || maxDatapoints > MAX_DATAPOINTS) {
    throw invalidValue(`The parameter MaxDatapoints must be between 1 and ${MAX_DATAPOINTS}.`);
  }
  const scanBy = input.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") {
    throw invalidValue(`The value ${scanBy} for parameter ScanBy is invalid.`);
  }
  const now = world.now.getTime();

  // Validate every query before computing anything.
  const plans = new Map<string, Plan>();
  queries.forEach((query, index) => {
    const where = `MetricDataQueries.member.${index + 1}`;
    const id = query.Id ?? "";
    if (!ID.test(id)) {
      throw invalidValue(
        `The value ${id} for parameter ${where}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    if (plans.has(id)) throw invalidValue(`The value ${id} for parameter ${where}.Id is used more than once.`);
    if ((query.MetricStat === undefined) === (query.Expression === undefined)) {
      throw invalidValue(`Exactly one of ${where}.MetricStat and ${where}.Expression must be specified.`);
    }
    if (query.MetricStat) {
      const stat = query.MetricStat;
      if (!stat.Metric?.MetricName || !stat.Metric.Namespace) {
        throw invalidValue(`The parameter ${where}.MetricStat.Metric must have a Namespace and a MetricName.`);
      }
      const period = checkPeriod(stat.Period, `${where}.MetricStat.Period`);
      if (!parseStatistic(stat.Stat ?? "")) {
        throw invalidValue(`The value ${stat.Stat} for parameter ${where}.MetricStat.Stat is invalid.`);
      }
      if (window(startTime, endTime, period, now).count > MAX_DATAPOINTS) {
        throw invalidValue(`The query ${id} asks for more than ${MAX_DATAPOINTS} datapoints; use a longer Period.`);
      }
      plans.set(id, { id, query });
    } else {
      if (query.Period !== undefined) checkPeriod(query.Period, `${where}.Period`);
      plans.set(id, { id, query, expr: parseExpression(id, query.Expression ?? "") });
    }
  });
  for (const plan of plans.values()) {
    for (const ref of plan.expr ? referencedIds(plan.expr) : []) {
      if (!plans.has(ref)) throw mathError(plan.id, `Unrecognized metric or expression id ${ref}`);
    }
  }

  const units = resultUnits(world, plans, startTime, endTime);
  return page(world, units, decodeToken(input.NextToken), maxDatapoints, scanBy === "TimestampAscending");
}

function resultUnits(world: MetricWorld, plans: ReadonlyMap<string, Plan>, startTime: number, endTime: number): Unit[] {
  const now = world.now.getTime();
  const computed = new Map<string, MathValue>();
  const evaluating = new Set<string>();

  const statUnit = (plan: Plan): Extract<Unit, { kind: "stat" }> => {
    const stat = plan.query.MetricStat;
    const metric: MetricName = {
      Namespace: stat?.Metric?.Namespace ?? "",
      MetricName: stat?.Metric?.MetricName ?? "",
      Dimensions: sortedDimensions(stat?.Metric?.Dimensions),
    };
    const period = stat?.Period ?? 60;
    const label = plan.query.Label
      ? dynamicLabel(plan.query.Label, metric, stat?.Stat ?? "", period)
      : metric.MetricName;
    return {
      kind: "stat",
      id: plan.id,
      label,
      source: world.resolve(metric),
      stat: parseStatistic(stat?.Stat ?? "") as Statistic,
      ...(stat?.Unit ? { unit: stat.Unit } : {}),
      window: window(startTime, endTime, period, now),
    };
  };

  const environment = (plan: Plan): MathEnvironment => ({
    reference: (id) => resultOf(plans.get(id) as Plan),
    search: (text, statText, period) => {
      const stat = parseStatistic(statText);
      if (!stat) throw mathError(plan.id, `The statistic ${statText} is invalid.`);
      checkPeriod(period, `the period of SEARCH in ${plan.id}`);
      const query = parseSearch(plan.id, text);
      const w = window(startTime, endTime, period, now);
      const sources = world
        .all(w.start, Math.min(endTime, now))
        .filter((s) => matchesSearch(query, s.metric))
        .sort((a, b) => (metricKey(a.metric) < metricKey(b.metric) ? -1 : 1))
        .slice(0, MAX_SEARCH_RESULTS);
      const labels = searchLabels(sources.map((s) => s.metric));
      return sources.map((source, i) => {
        const own = labels[i] ?? "";
        const given = plan.query.Label;
        const label = given
          ? given.includes("${")
            ? dynamicLabel(given, source.metric, statText, period)
            : `${given} ${own}`.trim()
          : own;
        return fullSeries(world, source, stat, undefined, w, label);
      });
    },
  });

  const resultOf = (plan: Plan): MathValue => {
    const cached = computed.get(plan.id);
    if (cached !== undefined) return cached;
    if (evaluating.has(plan.id)) throw mathError(plan.id, "The expressions refer to each other in a cycle.");
    evaluating.add(plan.id);
    let value: MathValue;
    if (plan.expr) {
      value = evaluate(plan.id, plan.query.Label ?? plan.id, plan.expr, environment(plan));
    } else {
      const unit = statUnit(plan);
      value = fullSeries(world, unit.source, unit.stat, unit.unit, unit.window, unit.label);
    }
    evaluating.delete(plan.id);
    computed.set(plan.id, value);
    return value;
  };

  const units: Unit[] = [];
  for (const plan of plans.values()) {
    if (plan.query.ReturnData === false) continue;
    if (!plan.expr) {
      units.push(statUnit(plan));
      continue;
    }
    const value = resultOf(plan);
    if (typeof value === "number") {
      // A constant draws as a flat line over the periods of the query.
      const period = (plan.query.Period ?? 60) * 1000;
      const w = window(startTime, endTime, period / 1000, now);
      const timestamps: number[] = [];
      for (let i = 0; i < w.count && w.start + i * w.period < now; i++) timestamps.push(w.start + i * w.period);
      const values = Number.isFinite(value) ? timestamps.map(() => value) : [];
      units.push({
        kind: "points",
        id: plan.id,
        series: { label: plan.query.Label ?? plan.id, timestamps: values.length ? timestamps : [], values },
      });
    } else if (Array.isArray(value)) {
      for (const series of value as readonly TimeSeries[]) units.push({ kind: "points", id: plan.id, series });
    } else {
      units.push({ kind: "points", id: plan.id, series: value as TimeSeries });
    }
  }
  return units;
}

function unitLength(unit: Unit): number {
  return unit.kind === "stat" ? unit.window.count : unit.series.timestamps.length;
}

/** One page: units in query order, each scanned in time order, stopping once MaxDatapoints periods are read. */
function page(
  world: MetricWorld,
  units: readonly Unit[],
  token: Token,
  budget: number,
  ascending: boolean,
): GetMetricDataOutput {
  const now = world.now.getTime();
  const results: MetricDataResult[] = [];
  let left = budget;
  let next: Token | undefined;
  for (let u = token.unit; u < units.length; u++) {
    const unit = units[u] as Unit;
    const length = unitLength(unit);
    const from = u === token.unit ? token.offset : 0;
    const take = Math.min(length - from, left);
    const timestamps: Date[] = [];
    const values: number[] = [];
    for (let k = from; k < from + take; k++) {
      const index = ascending ? k : length - 1 - k;
      if (unit.kind === "stat") {
        const w = unit.window;
        const t = w.start + index * w.period;
        if (!w.servable || t >= now || !retained(t, now)) continue;
        const value = world.value(unit.source, unit.stat, unit.unit, t, w.period);
        if (value === undefined) continue;
        timestamps.push(new Date(t));
        values.push(value);
      } else {
        timestamps.push(new Date(unit.series.timestamps[index] as number));
        values.push(unit.series.values[index] as number);
      }
    }
    left -= take;
    const done = from + take >= length;
    results.push({
      Id: unit.id,
      Label: unit.kind === "stat" ? unit.label : unit.series.label,
      Timestamps: timestamps,
      Values: values,
      StatusCode: done ? "Complete" : "PartialData",
    });
    if (!done) {
      next = { unit: u, offset: from + take };
      break;
    }
    if (left <= 0 && u + 1 < units.length) {
      next = { unit: u + 1, offset: 0 };
      break;
    }
  }
  return { MetricDataResults: results, Messages: [], ...(next ? { NextToken: encodeToken(next) } : {}) };
}

export type { Dimension };
