// The `inherited` account's last 30 days of management events: how the service came to be as it is handed over.
// alice and bob (the ecs-operators) and the CI user deploy-bot made the changes; the rest is read-only noise.
// Names and ARNs are read from the state when the scenario has built them, so the history matches the resources.
import type { SandboxState } from "../state";
import type { ManagementEventSpec } from "./cloudtrail-events";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Actor {
  readonly username: string;
  readonly sourceIPAddress: string;
  readonly userAgent: (api: string) => string;
}

const ALICE: Actor = {
  username: "alice",
  sourceIPAddress: "198.51.100.23",
  userAgent: (api) =>
    `aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/command#${api}`,
};
const BOB: Actor = { username: "bob", sourceIPAddress: "203.0.113.77", userAgent: () => "AWS Internal" };
const DEPLOY_BOT: Actor = {
  username: "deploy-bot",
  sourceIPAddress: "192.0.2.10",
  userAgent: (api) =>
    `aws-sdk-js/3.600.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.15.0 api/${api}#3.600.0`,
};

/** ~30 days of plausible management events before `start`, oldest first. */
export function inheritedHistory(state: SandboxState, start: Date): ManagementEventSpec[] {
  const account = state.account;
  const region = state.region;
  const at = (daysBefore: number, hour: number, minute = 0) =>
    new Date(start.getTime() - daysBefore * DAY + hour * HOUR + minute * MINUTE - (start.getTime() % DAY));

  const repository = state.ecr.repositories.find((r) => r.repositoryName === "my-web-app");
  const repositoryArn = repository?.repositoryArn ?? `arn:aws:ecr:${region}:${account}:repository/my-web-app`;
  const image = state.ecr.images.find((i) => i.repositoryName === "my-web-app" && i.imageTags.includes("v1"));
  const taskDefinition = state.ecs.taskDefinitions["my-web-app"]?.[0];
  const taskDefinitionArn =
    taskDefinition?.taskDefinitionArn ?? `arn:aws:ecs:${region}:${account}:task-definition/my-web-app:1`;
  const service = state.ecs.services["my-cluster"]?.find((s) => s.serviceName === "my-web-service");
  const serviceArn = service?.serviceArn ?? `arn:aws:ecs:${region}:${account}:service/my-cluster/my-web-service`;
  const clusterArn = `arn:aws:ecs:${region}:${account}:cluster/my-cluster`;
  const taskGroup =
    state.ec2.securityGroups.find((g) => g.GroupName === "my-web-task")?.GroupId ?? "sg-0task000000000001";
  const albGroup =
    state.ec2.securityGroups.find((g) => g.GroupName === "my-web-alb")?.GroupId ?? "sg-0alb0000000000001";
  const httpListener =
    state.elbv2.listeners.find((l) => l.Port === 80)?.ListenerArn ??
    `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/my-web-alb/0123456789abcdef/0123456789abcdef`;
  const targetGroupArn =
    state.elbv2.targetGroups.find((t) => t.TargetGroupName === "my-web-tg")?.TargetGroupArn ??
    `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/my-web-tg/0123456789abcdef`;
  const role = "AdministratorAccessRole";
  const adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess";
  const pushedAt = image?.imagePushedAt ?? at(16, 11, 40);
  const registeredAt = taskDefinition?.registeredAt ?? at(14, 10, 0);
  // A scenario may stamp the service and its task definition alike: the service came a few minutes later.
  const serviceCreatedAt = new Date(Math.max(service?.createdAt?.getTime() ?? 0, registeredAt.getTime() + 6 * MINUTE));

  const events: ManagementEventSpec[] = [];
  const call = (
    actor: Actor,
    time: Date,
    source: string,
    eventName: string,
    details: Pick<ManagementEventSpec, "resources" | "requestParameters" | "responseElements" | "readOnly"> = {},
  ) => {
    const api = source.replace(".amazonaws.com", "");
    events.push({
      time,
      eventSource: source,
      eventName,
      username: actor.username,
      sourceIPAddress: actor.sourceIPAddress,
      userAgent: actor.userAgent(api),
      ...(source === "iam.amazonaws.com" ? { region: "us-east-1" } : {}),
      ...details,
    });
  };
  const ecs = "ecs.amazonaws.com";
  const ecr = "ecr.amazonaws.com";
  const iam = "iam.amazonaws.com";
  const ec2 = "ec2.amazonaws.com";
  const elb = "elasticloadbalancing.amazonaws.com";

  // Changes, in the order they told the story.
  call(ALICE, at(30, 9, 12), ecr, "CreateRepository", {
    resources: [{ type: "AWS::ECR::Repository", name: repositoryArn }],
    requestParameters: {
      repositoryName: "my-web-app",
      imageTagMutability: "MUTABLE",
      imageScanningConfiguration: { scanOnPush: false },
    },
  });
  call(ALICE, at(25, 14, 3), iam, "PutGroupPolicy", {
    resources: [{ type: "AWS::IAM::Group", name: "ecs-operators" }],
    requestParameters: {
      groupName: "ecs-operators",
      policyName: "ecs-operate",
      policyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }],
      }),
    },
  });
  call(BOB, at(24, 16, 40), iam, "PutUserPolicy", {
    resources: [{ type: "AWS::IAM::User", name: "deploy-bot" }],
    requestParameters: { userName: "deploy-bot", policyName: "deploy" },
  });
  call(BOB, at(21, 14, 30), iam, "PutRolePolicy", {
    resources: [{ type: "AWS::IAM::Role", name: role }],
    requestParameters: {
      roleName: role,
      policyName: "uploads-and-jobs",
      policyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::my-web-uploads/*" },
          { Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:${region}:${account}:my-web-jobs` },
        ],
      }),
    },
  });
  call(BOB, at(20, 16, 2), iam, "AttachRolePolicy", {
    resources: [
      { type: "AWS::IAM::Policy", name: adminPolicy },
      { type: "AWS::IAM::Role", name: role },
    ],
    requestParameters: { roleName: role, policyArn: adminPolicy },
  });
  call(BOB, at(20, 16, 5), iam, "DeleteRolePolicy", {
    resources: [{ type: "AWS::IAM::Role", name: role }],
    requestParameters: { roleName: role, policyName: "uploads-and-jobs" },
  });
  call(DEPLOY_BOT, new Date(pushedAt.getTime() - 2 * MINUTE), ecr, "GetAuthorizationToken", { readOnly: true });
  call(DEPLOY_BOT, pushedAt, ecr, "PutImage", {
    readOnly: false,
    resources: [{ type: "AWS::ECR::Repository", name: repositoryArn }],
    requestParameters: { repositoryName: "my-web-app", imageTag: "v1", registryId: account },
    responseElements: {
      image: {
        repositoryName: "my-web-app",
        registryId: account,
        imageId: { imageTag: "v1", ...(image ? { imageDigest: image.imageDigest } : {}) },
      },
    },
  });
  call(DEPLOY_BOT, registeredAt, ecs, "RegisterTaskDefinition", {
    resources: [{ type: "AWS::ECS::TaskDefinition", name: taskDefinitionArn }],
    requestParameters: {
      family: "my-web-app",
      taskRoleArn: `arn:aws:iam::${account}:role/${role}`,
      executionRoleArn: `arn:aws:iam::${account}:role/ecsTaskExecutionRole`,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "512",
      memory: "1024",
    },
    responseElements: { taskDefinition: { taskDefinitionArn, revision: 1 } },
  });
  call(ALICE, serviceCreatedAt, ecs, "CreateService", {
    resources: [{ type: "AWS::ECS::Service", name: serviceArn }],
    requestParameters: {
      cluster: "my-cluster",
      serviceName: "my-web-service",
      taskDefinition: "my-web-app:1",
      desiredCount: 2,
      launchType: "FARGATE",
      loadBalancers: [{ targetGroupArn, containerName: "my-web-app", containerPort: 80 }],
    },
  });
  call(ALICE, at(13, 18, 20), ec2, "RevokeSecurityGroupIngress", {
    resources: [{ type: "AWS::EC2::SecurityGroup", name: taskGroup }],
    requestParameters: {
      groupId: taskGroup,
      ipPermissions: {
        items: [{ ipProtocol: "tcp", fromPort: 80, toPort: 80, groups: { items: [{ groupId: albGroup }] } }],
      },
    },
  });
  call(ALICE, at(13, 18, 22), ec2, "AuthorizeSecurityGroupIngress", {
    resources: [{ type: "AWS::EC2::SecurityGroup", name: taskGroup }],
    requestParameters: {
      groupId: taskGroup,
      ipPermissions: {
        items: [{ ipProtocol: "tcp", fromPort: 80, toPort: 80, ipRanges: { items: [{ cidrIp: "10.0.0.0/16" }] } }],
      },
    },
  });
  call(BOB, at(12, 11, 5), elb, "ModifyListener", {
    resources: [{ type: "AWS::ElasticLoadBalancingV2::Listener", name: httpListener }],
    requestParameters: { listenerArn: httpListener, defaultActions: [{ type: "forward", targetGroupArn }] },
  });
  call(ALICE, at(7, 10, 30), ecs, "UpdateService", {
    resources: [{ type: "AWS::ECS::Service", name: serviceArn }],
    requestParameters: { cluster: "my-cluster", service: "my-web-service", desiredCount: 3 },
  });
  call(DEPLOY_BOT, at(5, 2, 15), ecs, "RunTask", {
    resources: [{ type: "AWS::ECS::TaskDefinition", name: taskDefinitionArn }],
    requestParameters: {
      cluster: "my-cluster",
      taskDefinition: "my-web-app:1",
      launchType: "FARGATE",
      overrides: { containerOverrides: [{ name: "my-web-app", command: ["./migrate"] }] },
    },
  });
  // CI redeploys the same mutable tag.
  for (const daysBefore of [11, 9, 6, 3, 1]) {
    call(DEPLOY_BOT, at(daysBefore, 15, 0), ecr, "GetAuthorizationToken", { readOnly: true });
    call(DEPLOY_BOT, at(daysBefore, 15, 1), ecs, "DescribeTaskDefinition", { readOnly: true });
    call(DEPLOY_BOT, at(daysBefore, 15, 2), ecs, "UpdateService", {
      resources: [{ type: "AWS::ECS::Service", name: serviceArn }],
      requestParameters: {
        cluster: "my-cluster",
        service: "my-web-service",
        taskDefinition: "my-web-app:1",
        forceNewDeployment: true,
      },
    });
    call(DEPLOY_BOT, at(daysBefore, 15, 9), ecs, "DescribeServices", {
      readOnly: true,
      requestParameters: { cluster: "my-cluster", services: ["my-web-service"] },
    });
  }

  // Read-only noise: the people look around on weekdays; CI checks the service every night.
  for (let daysBefore = 30; daysBefore >= 1; daysBefore -= 1) {
    const weekday = at(daysBefore, 0).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      call(ALICE, at(daysBefore, 9, 1), ecs, "ListClusters", { readOnly: true });
      call(ALICE, at(daysBefore, 9, 2), ecs, "DescribeClusters", {
        resources: [{ type: "AWS::ECS::Cluster", name: clusterArn }],
        requestParameters: { clusters: ["my-cluster"] },
      });
      call(ALICE, at(daysBefore, 9, 3), ecs, "ListServices", { requestParameters: { cluster: "my-cluster" } });
      call(ALICE, at(daysBefore, 9, 4), ecs, "DescribeServices", {
        requestParameters: { cluster: "my-cluster", services: ["my-web-service"] },
      });
      if (daysBefore % 2 === 0) {
        call(BOB, at(daysBefore, 13, 30), ec2, "DescribeSecurityGroups");
        call(BOB, at(daysBefore, 13, 31), elb, "DescribeLoadBalancers");
        call(BOB, at(daysBefore, 13, 32), elb, "DescribeTargetHealth", { requestParameters: { targetGroupArn } });
      }
      if (daysBefore % 3 === 0) {
        call(BOB, at(daysBefore, 14, 10), iam, "GetRole", { requestParameters: { roleName: role } });
        call(BOB, at(daysBefore, 14, 11), iam, "ListAttachedRolePolicies", { requestParameters: { roleName: role } });
        call(ALICE, at(daysBefore, 16, 45), ecr, "DescribeRepositories");
        call(ALICE, at(daysBefore, 16, 46), ecr, "DescribeImages", {
          requestParameters: { repositoryName: "my-web-app" },
        });
      }
    }
    call(DEPLOY_BOT, at(daysBefore, 3, 0), ecs, "DescribeServices", {
      requestParameters: { cluster: "my-cluster", services: ["my-web-service"] },
    });
    call(DEPLOY_BOT, at(daysBefore, 3, 1), ecs, "ListTasks", {
      requestParameters: { cluster: "my-cluster", serviceName: "my-web-service" },
    });
  }
  events.sort((a, b) => a.time.getTime() - b.time.getTime());
  return events;
}
