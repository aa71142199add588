import { describe, expect, test } from "vitest";
import { choosePeriod } from "../../lib/observe/series";

describe("choosePeriod", () => {
  test.each([
    [3 * 3_600_000, 600, 60],
    [24 * 3_600_000, 600, 300],
    [7 * 86_400_000, 800, 900],
    [90 * 86_400_000, 500, 21_600],
  ])("%i ms into %i pixels → %i s", (range, pixels, period) => {
    expect(choosePeriod(range, pixels)).toBe(period);
    expect(range / 1000 / choosePeriod(range, pixels)).toBeLessThanOrEqual(pixels);
  });
});
