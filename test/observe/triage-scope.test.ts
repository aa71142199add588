// The triage question as a person asks it ("POST /something", "45m") turned into the window observe/ reads.
import { describe, expect, test } from "vitest";
import { parseEndpoint, parseLookback, triageScope } from "../../lib/observe/triage-scope";

describe("triageScope", () => {
  test("looks back from the last whole minute of the account's clock, for the endpoint's path", () => {
    const scope = triageScope(
      { cluster: "my-cluster", service: "my-web-service", endpoint: "POST /something", since: "45m" },
      new Date("2026-11-28T00:00:07.250Z"),
    );
    expect(scope).toEqual({
      cluster: "my-cluster",
      service: "my-web-service",
      endpoint: "POST /something",
      method: "POST",
      path: "/something",
      from: new Date("2026-11-27T23:15:00Z"),
      to: new Date("2026-11-28T00:00:00Z"),
      slowMs: 1000,
    });
  });

  test("reads look-backs as people write them, and refuses anything else with what it expects", () => {
    expect(parseLookback("45m")).toBe(45 * 60_000);
    expect(parseLookback("1h30m")).toBe(90 * 60_000);
    expect(parseLookback(" 2h ")).toBe(2 * 3_600_000);
    expect(parseLookback("90s")).toBe(90_000);
    expect(parseLookback("1d")).toBe(86_400_000);
    for (const bad of ["45", "", "0m", "45 minutes", "m45", "1h 30m"]) {
      expect(() => parseLookback(bad), bad).toThrow(/a look-back is a duration like 45m, 2h or 1h30m/);
    }
  });

  test("an endpoint is a path, with or without its method", () => {
    expect(parseEndpoint("POST /something")).toEqual({ method: "POST", path: "/something" });
    expect(parseEndpoint("get /api/items?page=2")).toEqual({ method: "GET", path: "/api/items?page=2" });
    expect(parseEndpoint("/something")).toEqual({ path: "/something" });
    expect(() => parseEndpoint("something")).toThrow(/an endpoint is a path like "\/something"/);
  });
});
