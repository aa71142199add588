// `large`: 20 clusters × 50 services (1,000 services, 3,000 tasks), 500 task-definition families and 200 security
// groups in one VPC — for benchmarks of discovery and of the sandbox itself.
import { drawHex } from "../clock";
import { addSecurityGroup, addSubnet, addVpc } from "../services/ec2";
import { createService, putCluster, registerTaskDefinition } from "../services/ecs";
import { addRole } from "../services/iam";
import { ECS_TASK_EXECUTION_POLICY_ARN } from "../services/iam-managed-policies";
import { setCallerIdentity } from "../services/sts";
import type { SandboxState } from "../state";
import { recordInsights } from "../telemetry/model";
import { WEB } from "./web-service";

export const LARGE = { clusters: 20, servicesPerCluster: 50, tasksPerService: 3, families: 500, securityGroups: 200 };

export function buildLarge(state: SandboxState, start: Date): void {
  const ids = { now: new Date(start.getTime() - 30 * 86_400_000), hex: (n: number) => drawHex(state, n) };
  setCallerIdentity(state, { arn: WEB.operator });
  // A day of telemetry: what the metric benchmarks read.
  const since = new Date(start.getTime() - 86_400_000);
  state.telemetry.since = since;
  const vpcId = addVpc(state, ids, { cidrBlock: "10.0.0.0/16", name: "large-vpc" }).VpcId as string;
  const subnets = ["a", "c", "d"].map(
    (zone, i) =>
      addSubnet(state, ids, { vpcId, cidrBlock: `10.0.${i * 16}.0/20`, availabilityZone: `ap-northeast-1${zone}` })
        .SubnetId as string,
  );
  const groups = Array.from(
    { length: LARGE.securityGroups },
    (_, i) =>
      addSecurityGroup(state, ids, {
        name: `app-${i}`,
        description: `app ${i}`,
        vpcId,
        ingress: [{ port: 8080, cidr: "10.0.0.0/16" }],
      }).GroupId as string,
  );
  const execution = addRole(state, ids, {
    name: "ecsTaskExecutionRole",
    trust: {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    },
    managedPolicyArns: [ECS_TASK_EXECUTION_POLICY_ARN],
  });
  for (let family = 0; family < LARGE.families; family++) {
    for (let revision = 0; revision < 2; revision++) {
      registerTaskDefinition(state, ids, {
        family: `app-${family}`,
        executionRoleArn: execution.Arn,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          { name: "app", image: `public.ecr.aws/example/app-${family}:${revision + 1}`, essential: true },
        ],
      });
    }
  }
  for (let c = 0; c < LARGE.clusters; c++) {
    const cluster = `cluster-${String(c).padStart(2, "0")}`;
    const insights = c % 2 === 0 ? "enhanced" : "disabled";
    putCluster(state, { name: cluster, containerInsights: insights });
    recordInsights(state, cluster, insights, since);
    for (let s = 0; s < LARGE.servicesPerCluster; s++) {
      const n = c * LARGE.servicesPerCluster + s;
      createService(state, ids, {
        cluster,
        name: `service-${String(s).padStart(2, "0")}`,
        taskDefinition: `app-${n % LARGE.families}:2`,
        desiredCount: LARGE.tasksPerService,
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets,
            securityGroups: [groups[n % LARGE.securityGroups] as string],
            assignPublicIp: "DISABLED",
          },
        },
      });
    }
  }
}
