// ELBv2 reads: the target groups the services register with, their load balancers, listeners and listener rules.
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  type Listener,
  type LoadBalancer,
  type Rule,
  type TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { known } from "../aws/known";
import { chunks } from "../aws/limit";
import { unique } from "./ecs";
import { plain } from "./plain";
import type { Reader } from "./reader";
import type { Known, Plain } from "./snapshot";

/** DescribeLoadBalancers takes at most 20 ARNs; target groups are asked for the same way. */
const ARNS_PER_CALL = 20;

export interface LoadBalancing {
  targetGroups: Known<Plain<TargetGroup>[]>;
  loadBalancers: Known<Plain<LoadBalancer>[]>;
  listeners: Known<Plain<Listener>[]>;
  rules: Known<Plain<Rule>[]>;
}

export async function readLoadBalancing(reader: Reader, targetGroupArns: readonly string[]): Promise<LoadBalancing> {
  if (targetGroupArns.length === 0) {
    return { targetGroups: none(), loadBalancers: none(), listeners: none(), rules: none() };
  }
  const elb = reader.aws.elbv2;
  const targetGroups = await known("elasticloadbalancing:DescribeTargetGroups", async () => {
    const pages = await Promise.all(
      chunks(unique(targetGroupArns), ARNS_PER_CALL).map((TargetGroupArns) =>
        elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns })),
      ),
    );
    return pages.flatMap((p) => p.TargetGroups ?? []);
  });
  if (targetGroups.status === "unknown") {
    return { targetGroups, loadBalancers: targetGroups, listeners: targetGroups, rules: targetGroups };
  }
  const lbArns = unique(targetGroups.value.flatMap((t) => t.LoadBalancerArns ?? []));
  const loadBalancers = await known("elasticloadbalancing:DescribeLoadBalancers", async () => {
    if (lbArns.length === 0) return [];
    const pages = await Promise.all(
      chunks(lbArns, ARNS_PER_CALL).map((LoadBalancerArns) =>
        elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns })),
      ),
    );
    return pages.flatMap((p) => p.LoadBalancers ?? []);
  });
  const listeners = await known("elasticloadbalancing:DescribeListeners", async () => {
    const lists = await Promise.all(lbArns.map((LoadBalancerArn) => pages(reader, "listeners", LoadBalancerArn)));
    return lists.flat() as Listener[];
  });
  const rules =
    listeners.status === "unknown"
      ? listeners
      : await known("elasticloadbalancing:DescribeRules", async () => {
          const lists = await Promise.all(listeners.value.map((l) => pages(reader, "rules", l.ListenerArn as string)));
          return lists.flat() as Rule[];
        });
  return {
    targetGroups: { status: "known", value: targetGroups.value.map((t) => plain(t)) },
    loadBalancers: mapKnown(loadBalancers, (v) => v.map((x) => plain(x))),
    listeners: mapKnown(listeners, (v) => v.map((x) => plain(x))),
    rules: mapKnown(rules as Known<Rule[]>, (v) => v.map((x) => plain(x))),
  };
}

async function pages(reader: Reader, what: "listeners" | "rules", arn: string): Promise<(Listener | Rule)[]> {
  const out: (Listener | Rule)[] = [];
  let Marker: string | undefined;
  do {
    if (what === "listeners") {
      const page = await reader.aws.elbv2.send(
        new DescribeListenersCommand({ LoadBalancerArn: arn, Marker, PageSize: 400 }),
      );
      out.push(...(page.Listeners ?? []));
      Marker = page.NextMarker;
    } else {
      const page = await reader.aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: arn, Marker, PageSize: 400 }));
      out.push(...(page.Rules ?? []));
      Marker = page.NextMarker;
    }
  } while (Marker);
  return out;
}

export function mapKnown<T, U>(read: Known<T>, map: (value: T) => U): Known<U> {
  return read.status === "known" ? { status: "known", value: map(read.value) } : read;
}

function none<T>(): Known<T[]> {
  return { status: "known", value: [] };
}
