// The network checks: the path from the internet to the load balancer, the tasks and the data stores.
import type { Check } from "../check";
import { check as albHttpNoRedirect } from "./alb-http-no-redirect";
import { check as datastoreSgOpen } from "./datastore-sg-open";
import { check as servicePublicIp } from "./service-public-ip";
import { check as sgWorldOpen } from "./sg-world-open";
import { check as taskSgOpen } from "./task-sg-open";

export const networkChecks: readonly Check[] = [
  taskSgOpen,
  datastoreSgOpen,
  sgWorldOpen,
  servicePublicIp,
  albHttpNoRedirect,
];
