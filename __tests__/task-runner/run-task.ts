import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as taskCommand from 'azure-pipelines-task-lib/taskcommand.js';
import { captureOutput } from '../captured.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** A service connection as the agent hands it to a task. */
export interface Endpoint {
  readonly scheme: string;
  readonly url?: string;
  readonly auth?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

export interface TaskScenario {
  /** task.json names (camelCase). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly variables?: Readonly<Record<string, string>>;
  readonly endpoints?: Readonly<Record<string, Endpoint>>;
  /** Environment of the agent beyond the test's own. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface TaskRun {
  readonly succeeded: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly errorIssues: readonly string[];
  readonly warningIssues: readonly string[];
}

/** Runs dist/task.js through azure-pipelines-task-lib's MockTestRunner. */
export function runTask(scenario: TaskScenario): Promise<TaskRun> {
  const endpoints = Object.entries(scenario.endpoints ?? {}).map(([id, endpoint]) => endpointEnv(id, endpoint));
  const env = {
    ...process.env,
    ...Object.assign({}, ...endpoints),
    ...scenario.env,
    AFD_TASK_SCENARIO: JSON.stringify(scenario),
  };
  const worker = new Worker(join(HERE, 'mock-runner.cjs'), {
    env,
    workerData: { testFile: join(HERE, 'mock-test-file.cjs'), taskJson: resolve(HERE, '../../task.json') },
  });
  return new Promise<TaskRun>((done, fail) => {
    worker.once('message', done);
    worker.once('error', fail);
  }).then((run) => {
    captureOutput(run.stdout + run.stderr);
    return run;
  });
}

/** A service connection as the agent puts it in a task's environment. */
export function endpointEnv(id: string, endpoint: Endpoint): Record<string, string> {
  return {
    [`ENDPOINT_AUTH_SCHEME_${id}`]: endpoint.scheme,
    [`ENDPOINT_AUTH_${id}`]: JSON.stringify({ scheme: endpoint.scheme, parameters: endpoint.auth ?? {} }),
    ...(endpoint.url ? { [`ENDPOINT_URL_${id}`]: endpoint.url } : {}),
    ...Object.fromEntries(
      Object.entries(endpoint.auth ?? {}).map(([key, value]) => [
        `ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`,
        value,
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(endpoint.data ?? {}).map(([key, value]) => [`ENDPOINT_DATA_${id}_${key.toUpperCase()}`, value]),
    ),
  };
}

/** The output variables the task set, by name, read with the task library's own command parser. */
export function outputVariables(stdout: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of stdout.split('\n').filter((candidate) => candidate.startsWith('##vso[task.setvariable '))) {
    const command = taskCommand.commandFromString(line);
    variables[command.properties.variable as string] = command.message;
  }
  return variables;
}
