import type { KubernetesObject } from '@kubernetes/client-node';
import type { FunctionDefinition } from '../discovery/model.js';
import type { WorkloadIdentityOptions } from './identity.js';
import type { ScalerPlan } from './plans.js';

/** Render's types: what it is given besides the app, and what it gives back. */

export type KubeObject = KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string } };

export interface Rendered {
  readonly objects: readonly KubeObject[];
  readonly warnings: readonly string[];
}

export type ServiceType = 'LoadBalancer' | 'ClusterIP' | 'NodePort';

export interface ScalingOptions {
  readonly minReplicas: number;
  readonly maxReplicas?: number;
  readonly pollingIntervalSeconds?: number;
  readonly cooldownSeconds?: number;
  readonly httpReplicas: number;
  readonly serviceType: ServiceType;
  readonly pullSecret?: string;
}

/** What render needs besides the app. */
export interface RenderOptions {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly scaling: ScalingOptions;
  /** Existing objects that hold the settings instead of a generated Secret. */
  readonly secretName?: string;
  readonly configMapName?: string;
  /**
   * The key (base64, 32 bytes) of the settings-hash on the pod templates: the one the cluster's settings Secret
   * already carries, so the same settings keep the same hash. Absent: a fresh key for this render.
   */
  readonly settingsHashKey?: string;
  /** The managed identity the pods run as (Azure workload identity), besides the connections' `__clientId`s. */
  readonly workloadIdentity?: WorkloadIdentityOptions;
}

/** The functions by the part of the app that runs them, with the KEDA triggers of the event part. */
export interface AppParts {
  readonly http: FunctionDefinition[];
  readonly events: FunctionDefinition[];
  readonly scalers: ScalerPlan[];
  /** A function KEDA cannot wake runs in the event part: it never scales below one replica. */
  readonly alwaysOn: boolean;
}
