import { describe, expect, test } from "vitest";
import type { Point } from "../../lib/observe/series";
import { decimate } from "../../lib/render/decimate";

const T0 = Date.UTC(2026, 10, 28);

function wave(n: number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ time: T0 + i * 1000, value: 50 + 10 * Math.sin(i / 50) }));
}

describe("decimate", () => {
  test("never returns more than maxPoints, whatever the input size", () => {
    for (const [n, max] of [
      [10, 3],
      [1000, 100],
      [1001, 101],
      [100_000, 640],
      [5, 1],
    ] as const) {
      const kept = decimate(wave(n), max);
      expect(kept.length).toBeLessThanOrEqual(max);
      expect(kept.length).toBeGreaterThan(0);
    }
  });

  test("returns the input unchanged when it already fits", () => {
    const points = wave(50);
    expect(decimate(points, 50)).toEqual(points);
    expect(decimate(points, 50)).not.toBe(points);
  });

  test("keeps the lowest and highest point of each bucket, in time order", () => {
    // Two buckets of four points each: [1, 9, 3, 2] and [5, 0, 7, 4].
    const values = [1, 9, 3, 2, 5, 0, 7, 4];
    const points = values.map((value, i) => ({ time: i, value }));
    expect(decimate(points, 4)).toEqual([
      { time: 0, value: 1 },
      { time: 1, value: 9 },
      { time: 5, value: 0 },
      { time: 6, value: 7 },
    ]);
  });

  test("a one-point spike and a one-point dip in 1,000,000 points survive", () => {
    const points = wave(1_000_000).map((point, i) =>
      i === 654_321 ? { ...point, value: 999 } : i === 123_456 ? { ...point, value: -999 } : point,
    );
    const kept = decimate(points, 400);
    expect(kept.length).toBeLessThanOrEqual(400);
    expect(kept).toContainEqual(points[654_321]);
    expect(kept).toContainEqual(points[123_456]);
    expect(Math.max(...kept.map((p) => p.value))).toBe(999);
    expect(Math.min(...kept.map((p) => p.value))).toBe(-999);
    const times = kept.map((p) => p.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test("points out of time order are bucketed by time all the same", () => {
    const sorted = wave(10_000).map((point, i) => (i === 5000 ? { ...point, value: 500 } : point));
    const shuffled = [...sorted.slice(5000), ...sorted.slice(0, 5000)];
    const kept = decimate(shuffled, 100);
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept).toEqual(decimate(sorted, 100));
    expect(kept).toContainEqual(sorted[5000]);
  });

  test("drops points that are not finite numbers and copes with degenerate budgets", () => {
    const points = [
      { time: 0, value: 1 },
      { time: 1, value: Number.NaN },
      { time: 2, value: 3 },
    ];
    expect(decimate(points, 10)).toEqual([points[0], points[2]]);
    expect(decimate(points, 1)).toEqual([points[2]]);
    expect(decimate(points, 0)).toEqual([]);
    expect(decimate([], 10)).toEqual([]);
    const sameTime = [1, 5, 3].map((value) => ({ time: 7, value }));
    expect(decimate(sameTime, 2).map((p) => p.value)).toEqual([1, 5]);
  });
});
