// The elastic network interface each awsvpc task gets: created in the shared EC2 slice through EC2's own builder
// (so EC2 describes it like any other ENI) together with the ElasticNetworkInterface attachment ECS shows on the task.
import type { AwsVpcConfiguration, KeyValuePair } from "@aws-sdk/client-ecs";
import { AwsError } from "../service";
import type { SandboxState } from "../state";
import { addNetworkInterface } from "./ec2";
import { attachmentArn, type IdSource, newUuid } from "./ecs-arns";

/** The AWS-owned account that requests Fargate task ENIs (what EC2 shows as their RequesterId). */
export const FARGATE_ENI_REQUESTER_ID = "578734482556";

export interface EniPlacement {
  /** Which of the configured subnets; spread over them by the caller otherwise. */
  subnetId?: string | undefined;
  privateIpv4Address?: string | undefined;
  publicIp?: string | undefined;
}

export interface TaskEni {
  /** The attachment id (a UUID); the ENI's description is its ARN. */
  id: string;
  details: KeyValuePair[];
  availabilityZone: string | undefined;
}

/**
 * Creates the ENI a task's awsvpc configuration asks for and returns the attachment details that name it.
 * `placedIn` (how many tasks of the group were placed before) spreads tasks over the subnets.
 */
export function createTaskEni(
  state: SandboxState,
  ids: IdSource,
  awsvpc: AwsVpcConfiguration,
  placedIn: number,
  placement: EniPlacement,
): TaskEni {
  const subnets = awsvpc.subnets ?? [];
  const subnetId = placement.subnetId ?? subnets[placedIn % Math.max(subnets.length, 1)] ?? "";
  const attachmentId = newUuid(ids);
  const publicIp =
    awsvpc.assignPublicIp === "ENABLED"
      ? (placement.publicIp ?? `13.${(ids.hex(6).match(/../g) ?? []).map((b) => Number.parseInt(b, 16)).join(".")}`)
      : undefined;
  const eni = addNetworkInterface(state, ids, {
    subnetId,
    groupIds: awsvpc.securityGroups ?? [],
    description: attachmentArn(state, attachmentId),
    requesterId: FARGATE_ENI_REQUESTER_ID,
    interfaceType: "interface",
    ...(placement.privateIpv4Address ? { privateIpAddress: placement.privateIpv4Address } : {}),
    ...(publicIp ? { publicIp } : {}),
    attachment: {
      AttachTime: ids.now,
      AttachmentId: `ela-attach-${ids.hex(8)}`,
      DeleteOnTermination: false,
      DeviceIndex: 1,
      NetworkCardIndex: 0,
      InstanceOwnerId: "amazon-aws",
      Status: "attached",
    },
  });
  return {
    id: attachmentId,
    availabilityZone: eni.AvailabilityZone,
    details: [
      { name: "subnetId", value: subnetId },
      { name: "networkInterfaceId", value: eni.NetworkInterfaceId },
      { name: "macAddress", value: eni.MacAddress },
      { name: "privateDnsName", value: eni.PrivateDnsName },
      { name: "privateIPv4Address", value: eni.PrivateIpAddress },
    ],
  };
}

/** Deletes the ENI an attachment names, as ECS does when the task stops. */
export function deleteTaskEni(state: SandboxState, networkInterfaceId: string | undefined): void {
  state.ec2.networkInterfaces = state.ec2.networkInterfaces.filter((n) => n.NetworkInterfaceId !== networkInterfaceId);
}

/** What ECS answers when a network configuration names subnets or security groups EC2 does not have. */
export function checkNetworkResources(state: SandboxState, awsvpc: AwsVpcConfiguration): void {
  const missingSubnets = (awsvpc.subnets ?? []).filter((id) => !state.ec2.subnets.some((s) => s.SubnetId === id));
  if (missingSubnets.length > 0) {
    throw new AwsError(
      "InvalidParameterException",
      `Error retrieving subnet information for [${missingSubnets.join(", ")}]: The subnet ID '${missingSubnets[0]}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`,
    );
  }
  const missingGroups = (awsvpc.securityGroups ?? []).filter(
    (id) => !state.ec2.securityGroups.some((g) => g.GroupId === id),
  );
  if (missingGroups.length > 0) {
    throw new AwsError(
      "InvalidParameterException",
      `Error retrieving security group information for [${missingGroups.join(", ")}]: The security group '${missingGroups[0]}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)`,
    );
  }
}
