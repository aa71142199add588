// Elastic Load Balancing v2 as the sandbox serves it: load balancers, listeners, rules, target groups, target
// health and tags, in the SDK's own shapes. Handlers are a table of operation → function over that state; the
// builders below are what scenarios use to add resources.
import type { Service, Task } from "@aws-sdk/client-ecs";
import type {
  Action,
  AddTagsInput,
  Certificate,
  DeregisterTargetsInput,
  DescribeListenersInput,
  DescribeListenersOutput,
  DescribeLoadBalancersInput,
  DescribeLoadBalancersOutput,
  DescribeRulesInput,
  DescribeRulesOutput,
  DescribeTagsInput,
  DescribeTagsOutput,
  DescribeTargetGroupsInput,
  DescribeTargetGroupsOutput,
  DescribeTargetHealthInput,
  DescribeTargetHealthOutput,
  Listener,
  LoadBalancer,
  LoadBalancerSchemeEnum,
  ModifyListenerInput,
  ModifyListenerOutput,
  ProtocolEnum,
  RegisterTargetsInput,
  RemoveTagsInput,
  Rule,
  RuleCondition,
  Tag,
  TargetDescription,
  TargetGroup,
  TargetGroupTuple,
  TargetHealthDescription,
  TargetTypeEnum,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { AwsError, type Handler, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";

/**
 * Resources are stored as ELBv2 returns them, except what is derived on every read so that it has one copy:
 * a target group's LoadBalancerArns (from the listeners and rules that forward to it) and the health of targets
 * that ECS services register (from the ECS slice's running tasks). Tags live only in `tags`, by ARN.
 */
export interface Elbv2State {
  loadBalancers: LoadBalancer[];
  listeners: Listener[];
  /** Every listener's rules, its default rule included; a rule's listener is named by its ARN. */
  rules: Rule[];
  targetGroups: TargetGroup[];
  /** Targets registered by RegisterTargets or a scenario, by target group ARN. */
  targets: Record<string, TargetHealthDescription[]>;
  tags: Record<string, Tag[]>;
}

export function emptyElbv2State(): Elbv2State {
  return { loadBalancers: [], listeners: [], rules: [], targetGroups: [], targets: {}, tags: {} };
}

/** Where ids come from: the request context in handlers, a scenario's own id source in builders. */
export type IdSource = Pick<RequestContext, "hex">;

// ---------------------------------------------------------------------------------------------------------------
// ARNs and errors.

function arnPrefix(state: SandboxState): string {
  return `arn:aws:elasticloadbalancing:${state.region}:${state.account}`;
}

/** `loadbalancer/app/name/hex` → `app/name/hex`: the part listener and rule ARNs repeat. */
function loadBalancerPath(loadBalancerArn: string): string {
  return loadBalancerArn.slice(loadBalancerArn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
}

/** A rule ARN names its listener: `listener-rule/app/n/lb/ls/rule` → `listener/app/n/lb/ls`. */
export function listenerArnOfRule(ruleArn: string): string {
  return ruleArn.replace(":listener-rule/", ":listener/").replace(/\/[0-9a-f]+$/, "");
}

const NOT_FOUND = {
  loadBalancer: ["LoadBalancerNotFound", "One or more load balancers not found"],
  listener: ["ListenerNotFound", "One or more listeners not found"],
  rule: ["RuleNotFound", "One or more rules not found"],
  targetGroup: ["TargetGroupNotFound", "One or more target groups not found"],
} as const;

function notFound(kind: keyof typeof NOT_FOUND): AwsError {
  const [code, message] = NOT_FOUND[kind];
  return new AwsError(code, message);
}

function validation(message: string): AwsError {
  return new AwsError("ValidationError", message);
}

function requireLoadBalancer(state: SandboxState, arn: string | undefined): LoadBalancer {
  const lb = state.elbv2.loadBalancers.find((l) => l.LoadBalancerArn === arn);
  if (!lb) throw notFound("loadBalancer");
  return lb;
}

function requireListener(state: SandboxState, arn: string | undefined): Listener {
  const listener = state.elbv2.listeners.find((l) => l.ListenerArn === arn);
  if (!listener) throw notFound("listener");
  return listener;
}

function requireTargetGroup(state: SandboxState, arn: string | undefined): TargetGroup {
  const group = state.elbv2.targetGroups.find((t) => t.TargetGroupArn === arn);
  if (!group) throw notFound("targetGroup");
  return group;
}

/** The items named by `wanted` (all must exist, else the kind's NotFound), in stored order. */
function selectAll<T>(
  items: readonly T[],
  wanted: readonly string[] | undefined,
  keyOf: (item: T) => string | undefined,
  kind: keyof typeof NOT_FOUND,
): T[] {
  if (!wanted || wanted.length === 0) return [...items];
  const set = new Set(wanted);
  const found = items.filter((item) => set.has(keyOf(item) ?? ""));
  if (new Set(found.map(keyOf)).size < set.size) throw notFound(kind);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Paging: Marker in, NextMarker out; PageSize 1–400 (400 when absent).

const MAX_PAGE_SIZE = 400;

function paginate<T>(
  op: string,
  items: readonly T[],
  input: { Marker?: string | undefined; PageSize?: number | undefined },
): { page: T[]; NextMarker?: string } {
  const size = input.PageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw validation(
      `1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE_SIZE}`,
    );
  }
  let start = 0;
  if (input.Marker) {
    const [markerOp, offset] = Buffer.from(input.Marker, "base64").toString("utf8").split(":");
    start = Number(offset);
    if (markerOp !== op || !Number.isInteger(start) || start < 0) throw validation("Invalid marker");
  }
  const end = Math.min(items.length, start + size);
  const page = items.slice(start, end);
  return end < items.length ? { page, NextMarker: Buffer.from(`${op}:${end}`).toString("base64") } : { page };
}

// ---------------------------------------------------------------------------------------------------------------
// Actions: normalised as ELBv2 returns them (a forward names its group in both TargetGroupArn and ForwardConfig;
// a redirect has every part filled with its #{…} default).

/** Forward to one target group. */
export function forwardTo(targetGroupArn: string): Action {
  return { Type: "forward", TargetGroupArn: targetGroupArn };
}

/** Redirect HTTP to HTTPS with a 301, the usual default action of an ALB's port-80 listener. */
export function redirectToHttps(): Action {
  return { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } };
}

function forwardedGroups(action: Action): string[] {
  const tuples = (action.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn ?? "");
  return [...new Set([...(action.TargetGroupArn ? [action.TargetGroupArn] : []), ...tuples])].filter(Boolean);
}

function normalizeActions(state: SandboxState, actions: readonly Action[] | undefined): Action[] {
  if (!actions || actions.length === 0) throw validation("A default action must be specified");
  return actions.map((action, index): Action => {
    const order = { Order: action.Order ?? index + 1 };
    switch (action.Type) {
      case "forward": {
        const groups = forwardedGroups(action);
        if (groups.length === 0) throw validation("A target group ARN must be specified for a forward action");
        for (const arn of groups) requireTargetGroup(state, arn);
        const tuples: TargetGroupTuple[] =
          action.ForwardConfig?.TargetGroups ?? groups.map((TargetGroupArn) => ({ TargetGroupArn }));
        return {
          Type: "forward",
          ...(groups.length === 1 ? { TargetGroupArn: groups[0] } : {}),
          ...order,
          ForwardConfig: {
            TargetGroups: tuples.map((t) => ({ TargetGroupArn: t.TargetGroupArn, Weight: t.Weight ?? 1 })),
            TargetGroupStickinessConfig: action.ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false },
          },
        };
      }
      case "redirect": {
        const config = action.RedirectConfig;
        if (!config || (config.StatusCode !== "HTTP_301" && config.StatusCode !== "HTTP_302")) {
          throw validation("A redirect action must have a status code of HTTP_301 or HTTP_302");
        }
        return {
          Type: "redirect",
          ...order,
          RedirectConfig: {
            Protocol: config.Protocol ?? "#{protocol}",
            Port: config.Port ?? "#{port}",
            Host: config.Host ?? "#{host}",
            Path: config.Path ?? "/#{path}",
            Query: config.Query ?? "#{query}",
            StatusCode: config.StatusCode,
          },
        };
      }
      case "fixed-response": {
        if (!action.FixedResponseConfig?.StatusCode) {
          throw validation("A fixed-response action must have a status code");
        }
        return { Type: "fixed-response", ...order, FixedResponseConfig: action.FixedResponseConfig };
      }
      case "authenticate-oidc":
      case "authenticate-cognito":
        return { ...action, ...order };
      default:
        throw validation(
          `Action type '${action.Type}' must be one of [forward, redirect, fixed-response, authenticate-oidc, authenticate-cognito]`,
        );
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Builders.

/** The hosted zone ID of ALBs per region (Route 53 aliases name it); others get ap-northeast-1's as a stand-in. */
const ALB_HOSTED_ZONES: Readonly<Record<string, string>> = {
  "ap-northeast-1": "Z14GRHDCWA56QT",
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
};

function setTags(state: SandboxState, arn: string, tags: Readonly<Record<string, string>> | undefined): void {
  const list = Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  if (list.length > 0) state.elbv2.tags[arn] = list;
}

export interface LoadBalancerSpec {
  readonly name: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly scheme?: LoadBalancerSchemeEnum;
  /** Taken from the subnets (in the EC2 slice) when not given. */
  readonly vpcId?: string;
  readonly createdTime?: Date;
  readonly tags?: Readonly<Record<string, string>>;
}

export function addLoadBalancer(state: SandboxState, ids: IdSource, spec: LoadBalancerSpec): LoadBalancer {
  const hex = ids.hex(16);
  const arn = `${arnPrefix(state)}:loadbalancer/app/${spec.name}/${hex}`;
  const subnets = spec.subnetIds.map((id) => state.ec2.subnets.find((s) => s.SubnetId === id));
  const scheme = spec.scheme ?? "internet-facing";
  const dnsNumber = Number.parseInt(hex.slice(0, 8), 16) % 10 ** 10;
  const lb: LoadBalancer = {
    LoadBalancerArn: arn,
    DNSName: `${scheme === "internal" ? "internal-" : ""}${spec.name}-${dnsNumber}.${state.region}.elb.amazonaws.com`,
    CanonicalHostedZoneId: ALB_HOSTED_ZONES[state.region] ?? ALB_HOSTED_ZONES["ap-northeast-1"],
    CreatedTime: spec.createdTime ?? new Date(0),
    LoadBalancerName: spec.name,
    Scheme: scheme,
    VpcId: spec.vpcId ?? subnets.find((s) => s?.VpcId)?.VpcId,
    State: { Code: "active" },
    Type: "application",
    AvailabilityZones: spec.subnetIds.map((SubnetId, i) => ({
      ZoneName: subnets[i]?.AvailabilityZone,
      SubnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: [...spec.securityGroupIds],
    IpAddressType: "ipv4",
  };
  state.elbv2.loadBalancers.push(lb);
  setTags(state, arn, spec.tags);
  return lb;
}

export interface TargetGroupSpec {
  readonly name: string;
  readonly vpcId: string;
  readonly port: number;
  readonly protocol?: ProtocolEnum;
  readonly targetType?: TargetTypeEnum;
  readonly healthCheckPath?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export function addTargetGroup(state: SandboxState, ids: IdSource, spec: TargetGroupSpec): TargetGroup {
  const arn = `${arnPrefix(state)}:targetgroup/${spec.name}/${ids.hex(16)}`;
  const protocol = spec.protocol ?? "HTTP";
  const group: TargetGroup = {
    TargetGroupArn: arn,
    TargetGroupName: spec.name,
    Protocol: protocol,
    Port: spec.port,
    VpcId: spec.vpcId,
    HealthCheckProtocol: protocol,
    HealthCheckPort: "traffic-port",
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
    HealthCheckPath: spec.healthCheckPath ?? "/",
    Matcher: { HttpCode: "200" },
    TargetType: spec.targetType ?? "ip",
    ProtocolVersion: "HTTP1",
    IpAddressType: "ipv4",
  };
  state.elbv2.targetGroups.push(group);
  setTags(state, arn, spec.tags);
  return group;
}

export interface ListenerSpec {
  readonly loadBalancerArn: string;
  readonly port: number;
  readonly protocol: ProtocolEnum;
  /** e.g. `[forwardTo(tg.TargetGroupArn)]` or `[redirectToHttps()]`. */
  readonly defaultActions: readonly Action[];
  /** Certificate ARNs; the first is the default certificate. */
  readonly certificateArns?: readonly string[];
  readonly sslPolicy?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The policy ELBv2 applies to an HTTPS listener created without one. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

export function addListener(state: SandboxState, ids: IdSource, spec: ListenerSpec): Listener {
  const lb = requireLoadBalancer(state, spec.loadBalancerArn);
  const path = loadBalancerPath(spec.loadBalancerArn);
  const arn = `${arnPrefix(state)}:listener/${path}/${ids.hex(16)}`;
  const secure = spec.protocol === "HTTPS" || spec.protocol === "TLS";
  const listener: Listener = {
    ListenerArn: arn,
    LoadBalancerArn: lb.LoadBalancerArn,
    Port: spec.port,
    Protocol: spec.protocol,
    ...(secure
      ? {
          Certificates: (spec.certificateArns ?? []).slice(0, 1).map((CertificateArn) => ({ CertificateArn })),
          SslPolicy: spec.sslPolicy ?? DEFAULT_SSL_POLICY,
        }
      : {}),
    DefaultActions: normalizeActions(state, spec.defaultActions),
  };
  state.elbv2.listeners.push(listener);
  state.elbv2.rules.push({
    RuleArn: `${arnPrefix(state)}:listener-rule/${path}/${arn.slice(arn.lastIndexOf("/") + 1)}/${ids.hex(16)}`,
    Priority: "default",
    Conditions: [],
    Actions: listener.DefaultActions,
    IsDefault: true,
  });
  setTags(state, arn, spec.tags);
  return listener;
}

export interface RuleSpec {
  readonly listenerArn: string;
  readonly priority: number;
  readonly conditions: readonly RuleCondition[];
  readonly actions: readonly Action[];
  readonly tags?: Readonly<Record<string, string>>;
}

export function addRule(state: SandboxState, ids: IdSource, spec: RuleSpec): Rule {
  const listener = requireListener(state, spec.listenerArn);
  const path = (listener.ListenerArn ?? "").slice((listener.ListenerArn ?? "").indexOf(":listener/") + 10);
  const rule: Rule = {
    RuleArn: `${arnPrefix(state)}:listener-rule/${path}/${ids.hex(16)}`,
    Priority: String(spec.priority),
    Conditions: [...spec.conditions],
    Actions: normalizeActions(state, spec.actions),
    IsDefault: false,
  };
  state.elbv2.rules.push(rule);
  if (rule.RuleArn) setTags(state, rule.RuleArn, spec.tags);
  return rule;
}

/** Registers targets (healthy unless said otherwise); a target already registered is left as it is. */
export function registerTargets(
  state: SandboxState,
  targetGroupArn: string,
  targets: readonly TargetDescription[],
  health: TargetHealthDescription["TargetHealth"] = { State: "healthy" },
): void {
  const group = requireTargetGroup(state, targetGroupArn);
  const list = state.elbv2.targets[targetGroupArn] ?? [];
  state.elbv2.targets[targetGroupArn] = list;
  for (const target of targets) {
    const port = target.Port ?? group.Port;
    if (list.some((t) => t.Target?.Id === target.Id && t.Target?.Port === port)) continue;
    list.push({
      Target: {
        Id: target.Id,
        Port: port,
        ...(target.AvailabilityZone ? { AvailabilityZone: target.AvailabilityZone } : {}),
      },
      HealthCheckPort: String(port),
      TargetHealth: health,
    });
  }
}

export function deregisterTargets(
  state: SandboxState,
  targetGroupArn: string,
  targets: readonly TargetDescription[],
): void {
  const group = requireTargetGroup(state, targetGroupArn);
  const gone = (t: TargetHealthDescription) =>
    targets.some((d) => d.Id === t.Target?.Id && (d.Port ?? group.Port) === t.Target?.Port);
  state.elbv2.targets[targetGroupArn] = (state.elbv2.targets[targetGroupArn] ?? []).filter((t) => !gone(t));
}

// ---------------------------------------------------------------------------------------------------------------
// Derived on read.

/** The load balancers whose listeners or rules forward to a target group. */
function loadBalancersOf(state: SandboxState, targetGroupArn: string | undefined): string[] {
  const arns = new Set<string>();
  for (const listener of state.elbv2.listeners) {
    const rules = state.elbv2.rules.filter((r) => listenerArnOfRule(r.RuleArn ?? "") === listener.ListenerArn);
    const actions = [...(listener.DefaultActions ?? []), ...rules.flatMap((r) => r.Actions ?? [])];
    if (actions.some((a) => forwardedGroups(a).includes(targetGroupArn ?? ""))) {
      arns.add(listener.LoadBalancerArn ?? "");
    }
  }
  return [...arns];
}

function describeTargetGroup(state: SandboxState, group: TargetGroup): TargetGroup {
  return { ...group, LoadBalancerArns: loadBalancersOf(state, group.TargetGroupArn) };
}

/** Services and tasks of the ECS slice, read defensively: ECS owns that slice's shape. */
function ecsServicesAndTasks(state: SandboxState): { services: Service[]; tasks: Task[] } {
  const slice = state.ecs as object as Record<string, unknown>;
  const flat = <T>(value: unknown): T[] => {
    if (Array.isArray(value)) return value as T[];
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap((v) => flat<T>(v));
    return [];
  };
  return { services: flat<Service>(slice.services), tasks: flat<Task>(slice.tasks) };
}

const TASK_TARGET_HEALTH: Readonly<Record<string, TargetHealthDescription["TargetHealth"]>> = {
  PROVISIONING: {
    State: "initial",
    Reason: "Elb.RegistrationInProgress",
    Description: "Target registration is in progress",
  },
  PENDING: {
    State: "initial",
    Reason: "Elb.RegistrationInProgress",
    Description: "Target registration is in progress",
  },
  ACTIVATING: {
    State: "initial",
    Reason: "Elb.InitialHealthChecking",
    Description: "Initial health checks in progress",
  },
  RUNNING: { State: "healthy" },
  DEACTIVATING: {
    State: "draining",
    Reason: "Target.DeregistrationInProgress",
    Description: "Target deregistration is in progress",
  },
  STOPPING: {
    State: "draining",
    Reason: "Target.DeregistrationInProgress",
    Description: "Target deregistration is in progress",
  },
};

/** The ip targets ECS registers for services whose loadBalancers name this target group: their tasks' IPs. */
function ecsTargets(state: SandboxState, targetGroupArn: string): TargetHealthDescription[] {
  const { services, tasks } = ecsServicesAndTasks(state);
  return services.flatMap((service) =>
    (service.loadBalancers ?? [])
      .filter((lb) => lb.targetGroupArn === targetGroupArn && service.status !== "INACTIVE")
      .flatMap((lb) =>
        tasks
          .filter((t) => t.group === `service:${service.serviceName}` && t.clusterArn === service.clusterArn)
          .flatMap((task): TargetHealthDescription[] => {
            const health = TASK_TARGET_HEALTH[task.lastStatus ?? ""];
            const ip = (task.attachments ?? [])
              .flatMap((a) => a.details ?? [])
              .find((d) => d.name === "privateIPv4Address")?.value;
            if (!health || !ip) return [];
            const port = lb.containerPort;
            return [
              {
                Target: {
                  Id: ip,
                  Port: port,
                  ...(task.availabilityZone ? { AvailabilityZone: task.availabilityZone } : {}),
                },
                HealthCheckPort: String(port),
                TargetHealth: health,
              },
            ];
          }),
      ),
  );
}

const NOT_IN_USE = {
  State: "unused",
  Reason: "Target.NotInUse",
  Description: "Target group is not configured to receive traffic from the load balancer",
} as const;

const NOT_REGISTERED = {
  State: "unused",
  Reason: "Target.NotRegistered",
  Description: "Target is not registered to the target group",
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Handlers.

const describeLoadBalancers: Handler = (input, { state }): DescribeLoadBalancersOutput => {
  const request = input as DescribeLoadBalancersInput;
  if ((request.LoadBalancerArns?.length ?? 0) > 20) {
    throw validation("The number of load balancer ARNs must not exceed 20");
  }
  let items = selectAll(state.elbv2.loadBalancers, request.LoadBalancerArns, (l) => l.LoadBalancerArn, "loadBalancer");
  if (request.Names && request.Names.length > 0) {
    const missing = request.Names.filter((n) => !items.some((l) => l.LoadBalancerName === n));
    if (missing.length > 0) {
      throw new AwsError("LoadBalancerNotFound", `Load balancers '[${missing.join(", ")}]' not found`);
    }
    items = items.filter((l) => request.Names?.includes(l.LoadBalancerName ?? ""));
  }
  const { page, NextMarker } = paginate("DescribeLoadBalancers", items, request);
  return { LoadBalancers: page, NextMarker };
};

const describeListeners: Handler = (input, { state }): DescribeListenersOutput => {
  const request = input as DescribeListenersInput;
  if (!request.LoadBalancerArn && !request.ListenerArns?.length) {
    throw validation("You must specify either listener ARNs or a load balancer ARN");
  }
  let items = selectAll(state.elbv2.listeners, request.ListenerArns, (l) => l.ListenerArn, "listener");
  if (request.LoadBalancerArn) {
    requireLoadBalancer(state, request.LoadBalancerArn);
    items = items.filter((l) => l.LoadBalancerArn === request.LoadBalancerArn);
  }
  const { page, NextMarker } = paginate("DescribeListeners", items, request);
  return { Listeners: page, NextMarker };
};

const describeRules: Handler = (input, { state }): DescribeRulesOutput => {
  const request = input as DescribeRulesInput;
  if (!request.ListenerArn && !request.RuleArns?.length) {
    throw validation("You must specify either listener ARN or rule ARNs");
  }
  let items = selectAll(state.elbv2.rules, request.RuleArns, (r) => r.RuleArn, "rule");
  if (request.ListenerArn) {
    requireListener(state, request.ListenerArn);
    items = items.filter((r) => listenerArnOfRule(r.RuleArn ?? "") === request.ListenerArn);
  }
  // ELBv2 lists a listener's rules by priority, the default rule last.
  const rank = (r: Rule) => (r.IsDefault ? Number.POSITIVE_INFINITY : Number(r.Priority));
  items.sort((a, b) => rank(a) - rank(b));
  const { page, NextMarker } = paginate("DescribeRules", items, request);
  return { Rules: page, NextMarker };
};

const describeTargetGroups: Handler = (input, { state }): DescribeTargetGroupsOutput => {
  const request = input as DescribeTargetGroupsInput;
  let items = selectAll(state.elbv2.targetGroups, request.TargetGroupArns, (t) => t.TargetGroupArn, "targetGroup");
  if (request.Names && request.Names.length > 0) {
    const missing = request.Names.filter((n) => !items.some((t) => t.TargetGroupName === n));
    if (missing.length > 0) {
      throw new AwsError("TargetGroupNotFound", `Target groups '[${missing.join(", ")}]' not found`);
    }
    items = items.filter((t) => request.Names?.includes(t.TargetGroupName ?? ""));
  }
  let described = items.map((t) => describeTargetGroup(state, t));
  if (request.LoadBalancerArn) {
    requireLoadBalancer(state, request.LoadBalancerArn);
    described = described.filter((t) => t.LoadBalancerArns?.includes(request.LoadBalancerArn ?? ""));
  }
  const { page, NextMarker } = paginate("DescribeTargetGroups", described, request);
  return { TargetGroups: page, NextMarker };
};

const describeTargetHealth: Handler = (input, { state }): DescribeTargetHealthOutput => {
  const request = input as Partial<DescribeTargetHealthInput>;
  const group = requireTargetGroup(state, request.TargetGroupArn);
  const arn = group.TargetGroupArn ?? "";
  const inUse = loadBalancersOf(state, arn).length > 0;
  const registered = [...(state.elbv2.targets[arn] ?? []), ...ecsTargets(state, arn)].map(
    (t): TargetHealthDescription => (inUse ? t : { ...t, TargetHealth: NOT_IN_USE }),
  );
  if (!request.Targets || request.Targets.length === 0) return { TargetHealthDescriptions: registered };
  return {
    TargetHealthDescriptions: request.Targets.map((target) => {
      const port = target.Port ?? group.Port;
      const found = registered.find((t) => t.Target?.Id === target.Id && t.Target?.Port === port);
      return (
        found ?? {
          Target: { Id: target.Id, Port: port },
          HealthCheckPort: String(port),
          TargetHealth: NOT_REGISTERED,
        }
      );
    }),
  };
};

const SECURE_PROTOCOLS: ReadonlySet<string> = new Set(["HTTPS", "TLS"]);

const modifyListener: Handler = (input, context): ModifyListenerOutput => {
  const { state } = context;
  const request = input as Partial<ModifyListenerInput>;
  const listener = requireListener(state, request.ListenerArn);
  const port = request.Port ?? listener.Port;
  if (port === undefined || port < 1 || port > 65535) {
    throw validation(
      `1 validation error detected: Value '${port}' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535`,
    );
  }
  if (
    state.elbv2.listeners.some(
      (l) => l !== listener && l.LoadBalancerArn === listener.LoadBalancerArn && l.Port === port,
    )
  ) {
    throw new AwsError("DuplicateListener", "A listener already exists on this port for this load balancer");
  }
  const protocol = request.Protocol ?? listener.Protocol;
  if (protocol !== "HTTP" && protocol !== "HTTPS") {
    throw new AwsError(
      "IncompatibleProtocols",
      `The protocol '${protocol}' is not supported for Application Load Balancers`,
    );
  }
  if (request.Certificates && request.Certificates.length !== 1) {
    throw validation("You must specify exactly one default certificate");
  }
  const secure = SECURE_PROTOCOLS.has(protocol);
  const certificates: Certificate[] = request.Certificates
    ? request.Certificates.map((c) => ({ CertificateArn: c.CertificateArn }))
    : (listener.Certificates ?? []);
  if (secure && certificates.length === 0) {
    throw new AwsError("CertificateNotFound", "A certificate must be specified for HTTPS listeners");
  }
  const actions = request.DefaultActions ? normalizeActions(state, request.DefaultActions) : listener.DefaultActions;

  listener.Port = port;
  listener.Protocol = protocol;
  if (secure) {
    listener.Certificates = certificates;
    listener.SslPolicy = request.SslPolicy ?? listener.SslPolicy ?? DEFAULT_SSL_POLICY;
  } else {
    // Leaving HTTPS drops the certificate and the policy, as ELBv2 does.
    delete listener.Certificates;
    delete listener.SslPolicy;
  }
  if (request.AlpnPolicy) listener.AlpnPolicy = request.AlpnPolicy;
  listener.DefaultActions = actions;
  const defaultRule = state.elbv2.rules.find(
    (r) => r.IsDefault && listenerArnOfRule(r.RuleArn ?? "") === listener.ListenerArn,
  );
  if (defaultRule) defaultRule.Actions = actions;
  context.changed();
  return { Listeners: [listener] };
};

/** The resource an ARN names, or the NotFound error of its kind. */
function requireResource(state: SandboxState, arn: string): void {
  const kinds: ReadonlyArray<readonly [string, keyof typeof NOT_FOUND, () => boolean]> = [
    [":loadbalancer/", "loadBalancer", () => state.elbv2.loadBalancers.some((l) => l.LoadBalancerArn === arn)],
    [":listener/", "listener", () => state.elbv2.listeners.some((l) => l.ListenerArn === arn)],
    [":listener-rule/", "rule", () => state.elbv2.rules.some((r) => r.RuleArn === arn)],
    [":targetgroup/", "targetGroup", () => state.elbv2.targetGroups.some((t) => t.TargetGroupArn === arn)],
  ];
  const kind = kinds.find(([marker]) => arn.includes(marker));
  if (!kind) throw validation(`'${arn}' is not a valid resource ARN`);
  if (!kind[2]()) throw notFound(kind[1]);
}

function checkResourceArns(state: SandboxState, arns: readonly string[] | undefined): readonly string[] {
  if (!arns || arns.length === 0) throw validation("ResourceArns must be specified");
  if (arns.length > 20) {
    throw validation(
      "1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20",
    );
  }
  for (const arn of arns) requireResource(state, arn);
  return arns;
}

const describeTags: Handler = (input, { state }): DescribeTagsOutput => {
  const arns = checkResourceArns(state, (input as Partial<DescribeTagsInput>).ResourceArns);
  return { TagDescriptions: arns.map((ResourceArn) => ({ ResourceArn, Tags: state.elbv2.tags[ResourceArn] ?? [] })) };
};

const addTags: Handler = (input, context) => {
  const request = input as Partial<AddTagsInput>;
  const arns = checkResourceArns(context.state, request.ResourceArns);
  for (const arn of arns) {
    const kept = (context.state.elbv2.tags[arn] ?? []).filter((t) => !request.Tags?.some((n) => n.Key === t.Key));
    context.state.elbv2.tags[arn] = [...kept, ...(request.Tags ?? [])];
  }
  context.changed();
  return {};
};

const removeTags: Handler = (input, context) => {
  const request = input as Partial<RemoveTagsInput>;
  const arns = checkResourceArns(context.state, request.ResourceArns);
  for (const arn of arns) {
    const kept = (context.state.elbv2.tags[arn] ?? []).filter((t) => !request.TagKeys?.includes(t.Key ?? ""));
    if (kept.length > 0) context.state.elbv2.tags[arn] = kept;
    else delete context.state.elbv2.tags[arn];
  }
  context.changed();
  return {};
};

export const elbv2Service: ServiceDefinition = {
  signingName: "elasticloadbalancing",
  protocol: "awsQuery",
  handlers: {
    DescribeLoadBalancers: describeLoadBalancers,
    DescribeListeners: describeListeners,
    DescribeRules: describeRules,
    DescribeTargetGroups: describeTargetGroups,
    DescribeTargetHealth: describeTargetHealth,
    DescribeTags: describeTags,
    ModifyListener: modifyListener,
    AddTags: addTags,
    RemoveTags: removeTags,
    RegisterTargets: (input, context) => {
      const request = input as Partial<RegisterTargetsInput>;
      registerTargets(context.state, request.TargetGroupArn ?? "", request.Targets ?? []);
      context.changed();
      return {};
    },
    DeregisterTargets: (input, context) => {
      const request = input as Partial<DeregisterTargetsInput>;
      deregisterTargets(context.state, request.TargetGroupArn ?? "", request.Targets ?? []);
      context.changed();
      return {};
    },
  },
};
