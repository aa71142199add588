// The network fixes, in the order the seed talk goes: the tasks' and data stores' groups, the internet-open rules,
// the tasks' public IPs, then the load balancer's plain-HTTP listener.
import type { Fix } from "../fix";
import { fix as albHttpNoRedirect } from "./alb-http-no-redirect";
import { fix as datastoreSgOpen } from "./datastore-sg-open";
import { fix as servicePublicIp } from "./service-public-ip";
import { fix as sgWorldOpen } from "./sg-world-open";
import { fix as taskSgOpen } from "./task-sg-open";

export const NETWORK_FIXES: readonly Fix[] = [
  taskSgOpen,
  datastoreSgOpen,
  sgWorldOpen,
  servicePublicIp,
  albHttpNoRedirect,
];
