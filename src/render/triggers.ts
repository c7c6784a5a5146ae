import { type AppSettings, type FunctionDefinition, type HostSettings, stringProperty } from '../discovery/model.js';
import { type Context, describe } from './trigger-context.js';
import type { TriggerPlan } from './plans.js';
import { storageQueue, storageBlob, serviceBus, eventHub, kafka, rabbitMq } from './scalers.js';

/**
 * The trigger → KEDA mapping (DESIGN.md §4): where each function runs and, for
 * event-driven ones, the KEDA trigger that wakes and scales it.
 */

// Triggers whose events arrive as HTTP requests (webhooks), so they must sit
// behind the Service: KEDA cannot see them coming.
const WEBHOOK_TRIGGERS = new Set([
  'eventgridtrigger',
  'authenticationeventstrigger',
  'signalrtrigger',
  'mcptooltrigger',
]);
const DURABLE_TRIGGERS = new Set(['orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

export function planTrigger(
  fn: FunctionDefinition,
  settings: AppSettings,
  host: HostSettings,
  warn: (message: string) => void,
): TriggerPlan {
  const context: Context = { fn, settings, host, warn };
  const type = fn.trigger.type.toLowerCase();
  switch (type) {
    case 'httptrigger':
      return { part: 'http' };
    case 'queuetrigger':
      return { part: 'events', scaler: storageQueue(context) };
    case 'blobtrigger':
      if (stringProperty(fn.trigger, 'source').toLowerCase() === 'eventgrid') {
        return { part: 'http', warning: webhookWarning(fn, 'blobTrigger with source EventGrid') };
      }
      return { part: 'events', scaler: storageBlob(context) };
    case 'servicebustrigger':
      return { part: 'events', scaler: serviceBus(context) };
    case 'eventhubtrigger':
      return { part: 'events', scaler: eventHub(context) };
    case 'kafkatrigger':
      return { part: 'events', scaler: kafka(context) };
    case 'rabbitmqtrigger':
      return { part: 'events', scaler: rabbitMq(context) };
    case 'timertrigger':
      return {
        part: 'events',
        alwaysOn: `${describe(fn)} runs on a schedule, which KEDA cannot wake: the app keeps at least one replica`,
      };
  }
  if (WEBHOOK_TRIGGERS.has(type)) return { part: 'http', warning: webhookWarning(fn, fn.trigger.type) };
  if (DURABLE_TRIGGERS.has(type)) {
    const storage = host.durableStorage;
    if (storage?.type.toLowerCase() === 'mssql') {
      return {
        part: 'events',
        scaler: {
          type: 'mssql',
          metadata: {
            // The Durable SQL provider's own scale recommendation; target 1 maps it 1:1 to replicas.
            query: `SELECT dt.GetScaleRecommendation(${storage.maxConcurrentOrchestrators ?? 10}, ${storage.maxConcurrentActivities ?? 10})`,
            targetValue: '1',
            connectionStringFromEnv: storage.connectionStringName ?? 'SQLDB_Connection',
          },
        },
      };
    }
    return {
      part: 'events',
      alwaysOn: `${describe(fn)} uses the Durable ${storage?.type ?? 'Azure Storage'} backend, which KEDA cannot scale: the app keeps at least one replica (the mssql storage provider scales to zero)`,
    };
  }
  return {
    part: 'events',
    alwaysOn: `${describe(fn)}: KEDA has no scaler for ${fn.trigger.type}, so the app keeps at least one replica`,
  };
}

function webhookWarning(fn: FunctionDefinition, what: string): string {
  return `${describe(fn)}: ${what} events arrive as webhooks, so it runs in the HTTP Deployment behind the Service, which KEDA does not scale`;
}
