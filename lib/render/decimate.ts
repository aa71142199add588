// Fewer points to draw, same picture: a chart is at most a few hundred pixels wide, so a series of a million points
// is cut to the ones a reader could see before it becomes a spec.
import type { Point } from "../observe/series";

/**
 * Min–max decimation: splits the time range into `floor(maxPoints / 2)` equal buckets and keeps, per bucket, the
 * point with the lowest and the point with the highest value, in time order. A spike or a dip is always one of the
 * two, so it survives however many points surround it; an average would flatten it.
 *
 * Pure and O(n + maxPoints): a single pass over the points when they come oldest first, as `Series` promises; two
 * when they do not. Never returns more than `maxPoints` points; returns a copy of the input when it already fits.
 * Points whose time or value is not a finite number are dropped. With `maxPoints` of 1 only the highest point is
 * kept; below 1, none.
 */
export function decimate(points: readonly Point[], maxPoints: number): Point[] {
  const budget = Math.floor(maxPoints);
  if (points.length <= budget) return points.filter(isFinitePoint);
  if (budget < 1) return [];
  // Oldest first means the range runs from the first point to the last; measure it only if a point falls outside.
  const buckets =
    fillBuckets(points, budget, firstAndLast(points)) ?? (fillBuckets(points, budget, timeRange(points)) as Buckets);
  if (buckets.drawable <= budget) return points.filter(isFinitePoint);

  const kept: Point[] = [];
  for (let bucket = 0; bucket < buckets.lowest.length; bucket++) {
    const low = buckets.lowest[bucket] as number;
    const high = buckets.highest[bucket] as number;
    if (high < 0) continue;
    const max = points[high] as Point;
    if (budget === 1 || low === high) {
      kept.push(max);
      continue;
    }
    const min = points[low] as Point;
    if (min.time <= max.time) kept.push(min, max);
    else kept.push(max, min);
  }
  return kept;
}

interface Buckets {
  /** Index of the lowest and of the highest point in each bucket, -1 while the bucket is empty. */
  lowest: Int32Array;
  highest: Int32Array;
  /** How many points had a finite time and value. */
  drawable: number;
}

/** Fills `floor(budget / 2)` buckets over [start, end]; undefined when a point lies outside that range. */
function fillBuckets(points: readonly Point[], budget: number, [start, end]: [number, number]): Buckets | undefined {
  const count = Math.max(1, Math.floor(budget / 2));
  const lowest = new Int32Array(count).fill(-1);
  const highest = new Int32Array(count).fill(-1);
  const lowValue = new Float64Array(count);
  const highValue = new Float64Array(count);
  const scale = end > start ? count / (end - start) : 0;
  let drawable = 0;
  for (let i = 0; i < points.length; i++) {
    // The hot loop of every chart of a million points: comparisons stand in for Number.isFinite where they can.
    const point = points[i] as Point;
    const time = point.time;
    const value = point.value;
    if (value - value !== 0) continue; // NaN or ±Infinity
    if (!(time >= start && time <= end)) {
      if (Number.isFinite(time)) return undefined;
      continue;
    }
    drawable++;
    const bucket = Math.min(count - 1, Math.floor((time - start) * scale));
    if ((highest[bucket] as number) < 0) {
      lowest[bucket] = i;
      highest[bucket] = i;
      lowValue[bucket] = value;
      highValue[bucket] = value;
    } else if (value < (lowValue[bucket] as number)) {
      lowest[bucket] = i;
      lowValue[bucket] = value;
    } else if (value > (highValue[bucket] as number)) {
      highest[bucket] = i;
      highValue[bucket] = value;
    }
  }
  return { lowest, highest, drawable };
}

/** The times of the first and the last drawable point: the range, if the points are in time order. */
function firstAndLast(points: readonly Point[]): [number, number] {
  let first = 0;
  while (first < points.length && !isFinitePoint(points[first] as Point)) first++;
  let last = points.length - 1;
  while (last > first && !isFinitePoint(points[last] as Point)) last--;
  return [points[first]?.time ?? 0, points[last]?.time ?? 0];
}

function timeRange(points: readonly Point[]): [number, number] {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    if (!isFinitePoint(point)) continue;
    if (point.time < start) start = point.time;
    if (point.time > end) end = point.time;
  }
  return [start, end];
}

function isFinitePoint(point: Point): boolean {
  return Number.isFinite(point.time) && Number.isFinite(point.value);
}
