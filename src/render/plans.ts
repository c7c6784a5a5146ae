/**
 * What the trigger → KEDA mapping decides for one function: the plans render
 * turns into objects. Types only.
 */

/** How KEDA authenticates to the event source when metadata alone is not enough. */
export interface AuthPlan {
  /** Short word for the TriggerAuthentication's name. */
  readonly purpose: string;
  readonly podIdentity?: { readonly provider: 'azure-workload'; readonly identityId?: string };
  /** Parameters KEDA reads from the container's environment (app settings). */
  readonly env?: readonly { readonly parameter: string; readonly name: string }[];
  /** Parameters with a fixed value, kept in a Secret of the TriggerAuthentication's name. */
  readonly literals?: Readonly<Record<string, string>>;
}

export interface ScalerPlan {
  readonly type: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly auth?: AuthPlan;
}

export type TriggerPlan =
  /** Served by the HTTP Deployment behind the Service. */
  | { readonly part: 'http'; readonly warning?: string }
  /** Runs in the event-driven Deployment, scaled by KEDA. */
  | { readonly part: 'events'; readonly scaler: ScalerPlan }
  /** Runs in the event-driven Deployment, which then never scales below one replica. */
  | { readonly part: 'events'; readonly alwaysOn: string };
