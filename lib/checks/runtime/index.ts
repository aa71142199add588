// The runtime pillar: how the containers run (privileges, filesystem, user, namespaces, platform, tags).
import type { Check } from "../check";
import { check as hostNetwork } from "./host-network";
import { check as hostPid } from "./host-pid";
import { check as platformOutdated } from "./platform-outdated";
import { check as privileged } from "./privileged";
import { check as rootUser } from "./root-user";
import { check as rootfsWritable } from "./rootfs-writable";
import { check as untagged } from "./untagged";

export const runtimeChecks: readonly Check[] = [
  privileged,
  rootfsWritable,
  rootUser,
  hostPid,
  hostNetwork,
  platformOutdated,
  untagged,
];
