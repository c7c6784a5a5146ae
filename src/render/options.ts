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

/** Which Deployments' pods run on AKS virtual nodes (Azure Container Instances). */
export type VirtualNodes = 'none' | 'events' | 'all';

/** The HTTP Deployment scaled by KEDA's Prometheus scaler, between httpReplicas and maxReplicas. */
export interface PrometheusScaling {
  /** The server's URL; `%Setting%` in it is resolved from the app settings at render time. */
  readonly serverAddress: string;
  /** PromQL returning one value; `%Setting%` in it is resolved likewise. */
  readonly query: string;
  /** The value one replica handles (KEDA's threshold), a decimal number above 0. */
  readonly threshold: string;
  readonly maxReplicas?: number;
  /** The HPA's scale-down stabilization window; absent: the HPA's own (300 s). */
  readonly scaleDownStabilizationSeconds?: number;
  /** KEDA's authentication parameters by name: `%Setting%` values are read from the pod's environment. */
  readonly auth: Readonly<Record<string, string>>;
}

export interface ScalingOptions {
  readonly minReplicas: number;
  readonly maxReplicas?: number;
  readonly pollingIntervalSeconds?: number;
  readonly cooldownSeconds?: number;
  /** The HTTP Deployment's replicas; with httpPrometheus, the fewest KEDA keeps. */
  readonly httpReplicas: number;
  /** Absent: the HTTP Deployment keeps httpReplicas. */
  readonly httpPrometheus?: PrometheusScaling;
  readonly serviceType: ServiceType;
  readonly pullSecret?: string;
  /** Absent: none. */
  readonly virtualNodes?: VirtualNodes;
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
