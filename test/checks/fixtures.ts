// Snapshot fixtures for check tests: an empty, fully known snapshot to override, and the ways a read can fail.
import type { Known, Snapshot } from "../../lib/inventory/snapshot";

export function known<T>(value: T): Known<T> {
  return { status: "known", value };
}

export function denied<T>(missing: string): Known<T> {
  return {
    status: "unknown",
    error: "AccessDeniedException",
    missing,
    message: `not authorized to perform: ${missing}`,
  };
}

/** A snapshot of an account where every read succeeded and found nothing; tests override what they judge. */
export function snapshotOf(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    version: 1,
    takenAt: "2026-11-28T00:00:00.000Z",
    account: "123456789012",
    region: "ap-northeast-1",
    identity: "arn:aws:iam::123456789012:user/new-owner",
    scope: { cluster: "my-cluster" },
    cluster: known({
      clusterName: "my-cluster",
      clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster",
    }),
    accountSettings: known({}),
    services: known([]),
    taskDefinitions: {},
    tasks: known([]),
    network: known({ vpcs: [], subnets: [], routeTables: [] }),
    securityGroups: known([]),
    securityGroupRules: known([]),
    networkInterfaces: known([]),
    dataStores: known([]),
    loadBalancers: known([]),
    listeners: known([]),
    rules: known([]),
    targetGroups: known([]),
    roles: {},
    principals: known([]),
    secrets: [],
    repositories: known([]),
    registryScanning: known({ scanType: "BASIC", rules: [] }),
    images: [],
    trails: known([]),
    logGroups: {},
    alarms: known([]),
    ...overrides,
  };
}
