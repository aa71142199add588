import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/network/alb-http-no-redirect";
import { denied, known } from "../fixtures";
import { defaultRules, HTTP_LISTENER_ARN, listeners, loadBalancer, TG_ARN, webService } from "./web-service";

describe("alb-http-no-redirect", () => {
  test("fails the HTTP listener of an internet-facing ALB that forwards", () => {
    expect(run(webService("inherited"))).toEqual([
      {
        status: "fail",
        resource: "my-web-alb HTTP:80",
        detail:
          "its default action forwards to the targets over plain HTTP; make it redirect to HTTPS (port 443, HTTP 301)",
      },
    ]);
  });

  test("fails when the default action redirects but a rule still forwards over HTTP", () => {
    const forwarding = {
      RuleArn: `${HTTP_LISTENER_ARN.replace(":listener/", ":listener-rule/")}/1b2c3d4e5f6a7b8c`,
      Priority: "10",
      IsDefault: false,
      Conditions: [{ Field: "path-pattern", Values: ["/api/*"] }],
      Actions: [{ Type: "forward" as const, TargetGroupArn: TG_ARN, Order: 1 }],
    };
    const [verdict] = run(webService("clean", { rules: known([...defaultRules("clean"), forwarding]) }));
    expect(verdict).toMatchObject({ status: "fail", resource: "my-web-alb HTTP:80" });
    expect(verdict?.status === "fail" && verdict.detail).toContain("rule 10 forwards");
  });

  test("passes a listener that redirects to HTTPS, and an ALB with no HTTP listener", () => {
    expect(run(webService("clean"))).toEqual([
      { status: "pass", resource: "my-web-alb HTTP:80", detail: "redirects to HTTPS" },
    ]);
    const httpsOnly = webService("inherited", {
      listeners: known(listeners("inherited").filter((l) => l.Port === 443)),
    });
    expect(run(httpsOnly)).toEqual([{ status: "pass", resource: "my-web-alb", detail: "has no plain-HTTP listener" }]);
  });

  test("unknown when the load balancers, listeners or (behind a redirect) rules could not be read", () => {
    expect(
      run(webService("inherited", { loadBalancers: denied("elasticloadbalancing:DescribeLoadBalancers") })),
    ).toEqual([expect.objectContaining({ status: "unknown", missing: "elasticloadbalancing:DescribeLoadBalancers" })]);
    expect(run(webService("inherited", { listeners: denied("elasticloadbalancing:DescribeListeners") }))).toEqual([
      expect.objectContaining({
        status: "unknown",
        resource: "my-web-alb",
        missing: "elasticloadbalancing:DescribeListeners",
      }),
    ]);
    expect(run(webService("clean", { rules: denied("elasticloadbalancing:DescribeRules") }))).toEqual([
      expect.objectContaining({ status: "unknown", missing: "elasticloadbalancing:DescribeRules" }),
    ]);
  });

  test("nothing to judge for an internal load balancer", () => {
    const internal = { ...loadBalancer(), Scheme: "internal" as const };
    expect(run(webService("inherited", { loadBalancers: known([internal]) }))).toEqual([]);
  });
});
