import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/network/alb-http-no-redirect";
import { fix } from "../../../lib/fixes/network/alb-http-no-redirect";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures, fixture } from "./snapshots";

const inherited = fixture("inherited");
const listeners = inherited.listeners.status === "known" ? inherited.listeners.value : [];
const HTTP = listeners.find((l) => l.Port === 80)?.ListenerArn ?? "";

/** The snapshot with the HTTPS listener moved to another port, or removed. */
function withHttpsOn(port: number | undefined): Snapshot {
  const changed = listeners.flatMap((l) =>
    l.Protocol !== "HTTPS" ? [l] : port === undefined ? [] : [{ ...l, Port: port }],
  );
  return { ...inherited, listeners: { status: "known", value: changed } };
}

describe("alb-http-no-redirect fix", () => {
  test("inherited: the port-80 listener's default action becomes a 301 to HTTPS 443", () => {
    const change = fix.plan(inherited, failure(check, inherited));
    expect(change).toMatchObject({ check: "alb-http-no-redirect", resource: "my-web-alb HTTP:80", manual: false });
    expect(change.steps).toEqual([
      {
        id: `elbv2:ModifyListener:${HTTP}`,
        title: "my-web-alb HTTP:80: default action → redirect to HTTPS:443 (301)",
        call: {
          service: "elbv2",
          action: "ModifyListener",
          input: {
            ListenerArn: HTTP,
            DefaultActions: [
              { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } },
            ],
          },
        },
        changes: { kind: "listener", arn: HTTP },
      },
    ]);
    expect(change.reads).toEqual([{ kind: "listener", arn: HTTP }]);
    expectNoSecret(change);
  });

  test("clean: the check passes, so there is nothing to plan", () => {
    expect(failures(check, fixture("clean"))).toEqual([]);
  });

  test("redirects to the HTTPS listener's own port", () => {
    const snapshot = withHttpsOn(8443);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change.steps[0]?.call.input.DefaultActions).toEqual([
      { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "8443", StatusCode: "HTTP_301" } },
    ]);
  });

  test("no HTTPS listener: no steps, the notes say one must be created first", () => {
    const snapshot = withHttpsOn(undefined);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toContain("has no HTTPS listener to redirect to");
  });

  test("a rule that forwards while the default action redirects: no steps, the notes name the rule", () => {
    const redirect = {
      Type: "redirect" as const,
      Order: 1,
      RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" as const },
    };
    const rule = {
      RuleArn: `${HTTP.replace(":listener/", ":listener-rule/")}/0a1b2c3d4e5f6a7b`,
      Priority: "10",
      IsDefault: false,
      Actions: [
        {
          Type: "forward" as const,
          TargetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/x/1",
        },
      ],
    };
    const snapshot: Snapshot = {
      ...inherited,
      listeners: {
        status: "known",
        value: listeners.map((l) => (l.ListenerArn === HTTP ? { ...l, DefaultActions: [redirect] } : l)),
      },
      rules: { status: "known", value: [rule] },
    };
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toContain("(priority 10)");
  });
});
