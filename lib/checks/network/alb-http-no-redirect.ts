// alb-http-no-redirect: an HTTP listener of an internet-facing Application Load Balancer serves the app over plain
// HTTP — its default action, or one of its rules, forwards — instead of redirecting to HTTPS. A fixed response is
// not the app and passes; internal load balancers are not judged.
import type { Action, Listener, Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Plain, Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { awsDoc, securityHub } from "../references";

export const meta: CheckMeta = {
  id: "alb-http-no-redirect",
  title: "An internet-facing load balancer serves plain HTTP instead of redirecting to HTTPS",
  pillar: "network",
  severity: "medium",
  why:
    "Requests on port 80 travel unencrypted across the internet — cookies, tokens and form data can be read or " +
    "changed on the way; the HTTP listener should only redirect to HTTPS.",
  references: [
    securityHub("ELB", 1),
    awsDoc(
      "Listener rules for your Application Load Balancer: redirect actions",
      "elasticloadbalancing/latest/application/rule-action-types.html",
    ),
  ],
  fix: { id: "alb-http-no-redirect", manual: false },
  // The load balancers are those in front of the services: found through the services' target groups.
  reads: [
    "ecs:ListServices",
    "ecs:DescribeServices",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeRules",
  ],
};

export function run(snapshot: Snapshot): Verdict[] {
  // Unread services leave their load balancers unfound: that is unknown, not "no load balancer".
  const balancers = snapshot.services.status === "unknown" ? snapshot.services : snapshot.loadBalancers;
  if (balancers.status === "unknown") {
    return [unknownVerdict(`load balancers of cluster ${snapshot.scope.cluster}`, balancers)];
  }
  const verdicts: Verdict[] = [];
  for (const balancer of balancers.value) {
    if (balancer.Type !== "application" || balancer.Scheme !== "internet-facing") continue;
    const name = balancer.LoadBalancerName ?? balancer.LoadBalancerArn ?? "(unnamed)";
    if (snapshot.listeners.status === "unknown") {
      verdicts.push(unknownVerdict(name, snapshot.listeners));
      continue;
    }
    const http = snapshot.listeners.value.filter(
      (l) => l.LoadBalancerArn === balancer.LoadBalancerArn && l.Protocol === "HTTP",
    );
    if (http.length === 0) {
      verdicts.push({ status: "pass", resource: name, detail: "has no plain-HTTP listener" });
      continue;
    }
    for (const listener of http) verdicts.push(judge(snapshot, name, listener));
  }
  return verdicts;
}

function judge(snapshot: Snapshot, name: string, listener: Plain<Listener>): Verdict {
  const resource = `${name} HTTP:${listener.Port ?? "?"}`;
  const defaultAction = serving(listener.DefaultActions ?? []);
  if (defaultAction) {
    return {
      status: "fail",
      resource,
      detail: `its default action ${defaultAction} over plain HTTP; make it redirect to HTTPS (port 443, HTTP 301)`,
    };
  }
  if (snapshot.rules.status === "unknown") return unknownVerdict(resource, snapshot.rules);
  const rules = snapshot.rules.value.filter((rule) => !rule.IsDefault && listenerOf(rule) === listener.ListenerArn);
  const forwarding = rules.flatMap((rule) => {
    const what = serving(rule.Actions ?? []);
    return what ? [`rule ${rule.Priority ?? "?"} ${what}`] : [];
  });
  if (forwarding.length > 0) {
    return {
      status: "fail",
      resource,
      detail: `${forwarding.join("; ")} over plain HTTP; only redirect to HTTPS on this listener`,
    };
  }
  return { status: "pass", resource, detail: "redirects to HTTPS" };
}

/** What the actions do when they serve the app (`forwards to the targets`), or undefined when they do not. */
function serving(actions: readonly Plain<Action>[]): string | undefined {
  const final = [...actions]
    .filter((action) => !(action.Type ?? "").startsWith("authenticate"))
    .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))[0];
  if (!final) return undefined;
  if (final.Type === "forward") return "forwards to the targets";
  if (final.Type === "redirect" && (final.RedirectConfig?.Protocol ?? "#{protocol}") !== "HTTPS") {
    return "redirects without switching to HTTPS";
  }
  return undefined;
}

/** A rule's listener ARN: `…:listener-rule/app/<lb>/<id>/<listener>/<rule>` → `…:listener/app/<lb>/<id>/<listener>`. */
function listenerOf(rule: Plain<Rule>): string | undefined {
  const arn = rule.RuleArn;
  if (!arn) return undefined;
  return arn.replace(":listener-rule/", ":listener/").replace(/\/[^/]+$/, "");
}

export const check: Check = { meta, run };
