// alb-http-no-redirect: the load balancer's plain-HTTP listener answers every request with a permanent redirect to
// its HTTPS listener (ModifyListener on the listener's default actions; rollback puts the old ones back). Without an
// HTTPS listener to send people to, redirecting would break the site: the plan then says so and changes nothing.
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Plain, Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import type { Change } from "../plan";

const ID = "alb-http-no-redirect";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const missing = (notes: string[]) =>
    manualChange(ID, verdict.resource, `${verdict.resource}: cannot plan the redirect`, notes);
  if (snapshot.loadBalancers.status === "unknown" || snapshot.listeners.status === "unknown") {
    return missing([
      "the load balancers or their listeners could not be read: audit again with the missing permissions",
    ]);
  }
  // The check names the listener `<load balancer> HTTP:<port>`.
  const at = verdict.resource.lastIndexOf(" HTTP:");
  const name = verdict.resource.slice(0, at);
  const port = Number(verdict.resource.slice(at + " HTTP:".length));
  const balancer = snapshot.loadBalancers.value.find((lb) => (lb.LoadBalancerName ?? lb.LoadBalancerArn) === name);
  const listeners = snapshot.listeners.value.filter((l) => balancer && l.LoadBalancerArn === balancer.LoadBalancerArn);
  const listener = listeners.find((l) => l.Protocol === "HTTP" && l.Port === port);
  if (at < 0 || !listener?.ListenerArn) return missing([`${verdict.resource} is not a listener in this snapshot`]);
  const rulesNote = rulesNoteOf(snapshot, listener.ListenerArn);
  if (!servesOverHttp(listener.DefaultActions ?? [])) {
    return missing([
      `the default action does not serve the app over HTTP; the failure comes from the rules: ${verdict.detail}`,
      ...rulesNote,
    ]);
  }
  const https = listeners
    .filter((l) => l.Protocol === "HTTPS" && l.Port !== undefined)
    .map((l) => l.Port as number)
    .sort((a, b) => (a === 443 ? -1 : b === 443 ? 1 : a - b));
  const target = https[0];
  if (target === undefined) {
    return missing([
      `${name} has no HTTPS listener to redirect to: redirecting would leave visitors nowhere. Create an HTTPS ` +
        "listener with an ACM certificate that forwards like this one does, then plan again.",
    ]);
  }
  const redirect = {
    Type: "redirect",
    RedirectConfig: { Protocol: "HTTPS", Port: String(target), StatusCode: "HTTP_301" },
  };
  return {
    check: ID,
    resource: verdict.resource,
    title: `${verdict.resource}: redirect every request to HTTPS on port ${target}`,
    manual: false,
    steps: [
      step(
        `elbv2:ModifyListener:${listener.ListenerArn}`,
        `${verdict.resource}: default action → redirect to HTTPS:${target} (301)`,
        {
          service: "elbv2",
          action: "ModifyListener",
          input: { ListenerArn: listener.ListenerArn, DefaultActions: [redirect] },
        },
        { kind: "listener", arn: listener.ListenerArn },
      ),
    ],
    outcome: `requests to ${verdict.resource} get a 301 to https://<same host>:${target}/<same path and query>`,
    risk:
      `clients that cannot follow a redirect or speak HTTPS (an old health checker, a device, an API client posting ` +
      `to http://) stop working; a 301 is cached by browsers, so undoing it does not reach those who already saw it`,
    rollback: ["set the listener's default actions back to what the journal recorded (forward to the target group)"],
    notes: rulesNote,
    reads: [{ kind: "listener", arn: listener.ListenerArn }],
  };
}

/** Whether the listener serves the app over HTTP: its final action forwards, or redirects without switching to HTTPS. */
function servesOverHttp(actions: readonly Plain<Action>[]): boolean {
  const final = [...actions]
    .filter((action) => !(action.Type ?? "").startsWith("authenticate"))
    .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))[0];
  if (!final) return false;
  return final.Type === "forward" || (final.Type === "redirect" && final.RedirectConfig?.Protocol !== "HTTPS");
}

/** What the listener's own rules mean for the plan (a rule's ARN is its listener's, as `listener-rule`, plus an id). */
function rulesNoteOf(snapshot: Snapshot, listenerArn: string): string[] {
  if (snapshot.rules.status === "unknown") {
    return ["the listener's rules could not be read: any that forwards still serves plain HTTP after this change"];
  }
  const prefix = `${listenerArn.replace(":listener/", ":listener-rule/")}/`;
  const priorities = snapshot.rules.value
    .filter((rule) => !rule.IsDefault && (rule.RuleArn ?? "").startsWith(prefix))
    .map((rule) => rule.Priority ?? "?");
  if (priorities.length === 0) return [];
  return [
    `the listener also has ${priorities.length} rule${priorities.length > 1 ? "s" : ""} (priority ${priorities.join(", ")}), ` +
      "which ELB evaluates before the default action: this plan does not change them; make any that forwards " +
      "redirect to HTTPS too (ModifyRule), or delete it",
  ];
}

export const fix: Fix = { id: ID, plan, writes: ["elasticloadbalancing:ModifyListener"] };
