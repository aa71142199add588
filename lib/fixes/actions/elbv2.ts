// What apply knows of each elbv2 write action (see ../action.ts). ModifyListener is compared on what it changes —
// the default actions — in a canonical form, because ELBv2 answers with members it filled in (Order, a forward's
// ForwardConfig with weight 1 and stickiness off, a redirect's #{host}/#{path}/#{query}) that the request left out.
import { DescribeListenersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { type ActionTable, canonical, field, orAbsent, type ResolvedInput, toJson } from "../action";
import type { Call, Json } from "../plan";

export const ELBV2_ACTIONS: ActionTable = {
  ModifyListener: {
    observe: async (aws, input) => {
      const described = await orAbsent(
        () => aws.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArnOf(input)] })),
        "ListenerNotFoundException",
        "ListenerNotFound",
      );
      const listener = described?.Listeners?.[0];
      if (!listener) return null;
      return toJson({
        ListenerArn: listener.ListenerArn,
        Port: listener.Port,
        Protocol: listener.Protocol,
        DefaultActions: listener.DefaultActions ?? [],
      });
    },
    satisfied: (observed, input) => {
      if (observed === null || input.DefaultActions === undefined) return undefined;
      const same = canonicalActions(field(observed, "DefaultActions")) === canonicalActions(input.DefaultActions);
      return same ? { ListenerArn: listenerArnOf(input) } : undefined;
    },
    output: (_response, input) => ({ ListenerArn: listenerArnOf(input) }),
    // Only the default actions are put back: they are all this step changes.
    undo: (input, before): Call[] => {
      const previous = field(before, "DefaultActions");
      if (!Array.isArray(previous) || previous.length === 0) return [];
      return [
        {
          service: "elbv2",
          action: "ModifyListener",
          input: { ListenerArn: listenerArnOf(input), DefaultActions: previous.map(restorable) },
        },
      ];
    },
    iam: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:DescribeListeners"],
  },
};

function listenerArnOf(input: ResolvedInput): string {
  if (typeof input.ListenerArn !== "string" || input.ListenerArn === "") {
    throw new Error("a listener step must name its listener by ListenerArn");
  }
  return input.ListenerArn;
}

type Action = Record<string, unknown>;

/** The actions as what they do, in the order ELBv2 runs them, with the defaults it fills in made explicit. */
export function canonicalActions(actions: unknown): string {
  const list = Array.isArray(actions) ? (actions as Action[]) : [];
  const ordered = list
    .map((action, index) => ({ action, order: typeof action.Order === "number" ? action.Order : index + 1 }))
    .sort((a, b) => a.order - b.order);
  return canonical(ordered.map(({ action }) => canonicalAction(action)));
}

function canonicalAction(action: Action): unknown {
  const { Order: _order, ...rest } = action;
  switch (action.Type) {
    case "forward": {
      const config = (action.ForwardConfig ?? {}) as {
        TargetGroups?: { TargetGroupArn?: string; Weight?: number }[];
        TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
      };
      const single = typeof action.TargetGroupArn === "string" ? [{ TargetGroupArn: action.TargetGroupArn }] : [];
      const targets: { TargetGroupArn?: string; Weight?: number }[] = config.TargetGroups ?? single;
      const stickiness = config.TargetGroupStickinessConfig;
      return {
        Type: "forward",
        TargetGroups: targets
          .map((t) => ({ TargetGroupArn: t.TargetGroupArn, Weight: t.Weight ?? 1 }))
          .sort((a, b) => String(a.TargetGroupArn).localeCompare(String(b.TargetGroupArn))),
        Stickiness: stickiness?.Enabled
          ? { Enabled: true, DurationSeconds: stickiness.DurationSeconds ?? null }
          : { Enabled: false },
      };
    }
    case "redirect": {
      const config = (action.RedirectConfig ?? {}) as Record<string, string | undefined>;
      return {
        Type: "redirect",
        Protocol: config.Protocol ?? "#{protocol}",
        Port: config.Port ?? "#{port}",
        Host: config.Host ?? "#{host}",
        Path: config.Path ?? "/#{path}",
        Query: config.Query ?? "#{query}",
        StatusCode: config.StatusCode,
      };
    }
    default:
      return rest;
  }
}

/**
 * A described action as ModifyListener takes it back. DescribeListeners never returns an OIDC client secret, so an
 * authenticate-oidc action keeps the one the listener has.
 */
function restorable(action: Json): Json {
  const oidc = field(action, "AuthenticateOidcConfig");
  if (
    field(action, "Type") !== "authenticate-oidc" ||
    oidc === undefined ||
    field(oidc, "ClientSecret") !== undefined
  ) {
    return action;
  }
  return {
    ...(action as Record<string, Json>),
    AuthenticateOidcConfig: { ...(oidc as Record<string, Json>), UseExistingClientSecret: true },
  };
}
