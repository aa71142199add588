// X-Ray filter expressions, parsed and evaluated directly against hand-made trace facts.
import { describe, expect, it } from "vitest";
import { FilterSyntaxError, matchesFilter, parseFilter } from "../../lib/sandbox/services/xray-filter";
import type { NodeFacts, TraceFacts } from "../../lib/sandbox/services/xray-traces";

const APP = { name: "my-web-service", type: "AWS::ECS::Container" };
const DB = { name: "my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com", type: "Database::SQL" };

function trace(overrides: Partial<NodeFacts> = {}, extra: { partial?: boolean; dbFault?: boolean } = {}): TraceFacts {
  const root: NodeFacts = {
    service: APP,
    start: 1000,
    end: 1004.75,
    fault: false,
    error: false,
    throttle: false,
    http: {
      url: "http://my-web-alb-1.ap-northeast-1.elb.amazonaws.com/something",
      method: "POST",
      status: 200,
      userAgent: "curl/8.7.1",
      clientIp: "10.0.1.74",
    },
    annotations: { route: "POST /something", attempt: 2, cached: false },
    inferred: false,
    ...overrides,
  };
  const db: NodeFacts = {
    service: DB,
    start: 1000.5,
    end: 1000.6,
    fault: extra.dbFault ?? false,
    error: false,
    throttle: false,
    annotations: {},
    caller: APP,
    inferred: true,
  };
  return {
    id: "1-000003e8-0123456789abcdef01234567",
    idTime: 1000,
    start: root.start,
    end: root.end,
    root,
    nodes: [root, db],
    partial: extra.partial ?? false,
    revision: 1,
  };
}

const matches = (expression: string, facts: TraceFacts = trace()) => matchesFilter(parseFilter(expression), facts);

describe("X-Ray filter expressions", () => {
  it("compares responsetime and duration in seconds", () => {
    expect(matches("responsetime > 3")).toBe(true);
    expect(matches("responsetime > 5")).toBe(false);
    expect(matches("duration >= 4.75 AND duration <= 4.75")).toBe(true);
    expect(matches("responsetime < 1", trace({ end: 1000.04 }))).toBe(true);
    expect(matches("duration != 4.75")).toBe(false);
  });

  it("compares http keywords with = != CONTAINS BEGINSWITH ENDSWITH", () => {
    expect(matches('http.url CONTAINS "/something"')).toBe(true);
    expect(matches('http.url ENDSWITH "/something" AND http.method = "POST"')).toBe(true);
    expect(matches('http.url BEGINSWITH "https://"')).toBe(false);
    expect(matches('http.method != "GET"')).toBe(true);
    expect(matches("http.status = 200")).toBe(true);
    expect(matches("http.status >= 500")).toBe(false);
    expect(matches('http.useragent CONTAINS "curl"')).toBe(true);
    expect(matches('http.clientip = "10.0.1.74"')).toBe(true);
    expect(matches('http.url contains "/something"')).toBe(true);
  });

  it("boolean keywords stand alone, negate, or compare to true/false", () => {
    const faulty = trace({ fault: true, http: { status: 500 } });
    expect(matches("fault", faulty)).toBe(true);
    expect(matches("ok", faulty)).toBe(false);
    expect(matches("!ok", faulty)).toBe(true);
    expect(matches("fault = false", faulty)).toBe(false);
    expect(matches("ok")).toBe(true);
    expect(matches("error OR throttle")).toBe(false);
    expect(matches("throttle", trace({ throttle: true }))).toBe(true);
    expect(matches("partial", trace({}, { partial: true }))).toBe(true);
    expect(matches("NOT partial")).toBe(true);
  });

  it("annotations compare as strings, numbers and booleans, by dot or bracket", () => {
    expect(matches('annotation.route = "POST /something"')).toBe(true);
    expect(matches('annotation[route] BEGINSWITH "POST"')).toBe(true);
    expect(matches('annotation["route"] = "GET /"')).toBe(false);
    expect(matches("annotation.attempt > 1")).toBe(true);
    expect(matches("annotation.attempt = 3")).toBe(false);
    expect(matches("annotation.cached = false")).toBe(true);
    expect(matches("annotation.route")).toBe(true);
    expect(matches("annotation.missing")).toBe(false);
    expect(matches('annotation.attempt = "2"')).toBe(false);
  });

  it("service() matches a service of the trace, and its block reads that service's node", () => {
    expect(matches('service("my-web-service")')).toBe(true);
    expect(matches('service("other")')).toBe(false);
    expect(matches("service()")).toBe(true);
    expect(matches(`service("${DB.name}") { responsetime < 0.2 }`)).toBe(true);
    expect(matches('service("my-web-service") { responsetime < 0.2 }')).toBe(false);
    expect(matches(`service("${DB.name}") { fault }`, trace({}, { dbFault: true }))).toBe(true);
    expect(matches('service("my-web-service") { fault }', trace({}, { dbFault: true }))).toBe(false);
    expect(matches('service(id(name: "my-web-service", type: "AWS::ECS::Container"))')).toBe(true);
    expect(matches('id(name: "my-web-service", type: "AWS::Lambda")')).toBe(false);
    expect(matches(`edge("my-web-service", "${DB.name}") { responsetime < 1 }`)).toBe(true);
    expect(matches(`edge("${DB.name}", "my-web-service")`)).toBe(false);
  });

  it("AND binds tighter than OR; parentheses, && || ! and NOT work", () => {
    expect(matches('http.method = "GET" AND fault OR responsetime > 3')).toBe(true);
    expect(matches('http.method = "GET" AND (fault OR responsetime > 3)')).toBe(false);
    expect(matches("responsetime > 3 && !(http.status = 500) || fault")).toBe(true);
    expect(matches('NOT service("other") and ok')).toBe(true);
    expect(matches('responsetime > 3 AND service("my-web-service") AND http.url CONTAINS "/something"')).toBe(true);
  });

  it("rejects malformed expressions with a message that says where", () => {
    const cases = [
      "",
      "responsetime >",
      'responsetime > "3"',
      "http.url > 3",
      'http.url CONTAINS "/something',
      "nosuchkeyword = 1",
      "(responsetime > 3",
      "responsetime > 3 responsetime < 5",
      "responsetime CONTAINS 3",
      'service("a" { fault }',
      "fault = maybe",
      "annotation.x < true",
    ];
    for (const expression of cases) {
      expect(() => parseFilter(expression), expression).toThrow(FilterSyntaxError);
    }
    expect(() => parseFilter("responsetime >")).toThrow(/Invalid filter expression: .*position 15/);
    expect(() => parseFilter("nosuchkeyword = 1")).toThrow(/unknown keyword 'nosuchkeyword'/);
  });
});
