// The test file azure-pipelines-task-lib's MockTestRunner runs: the task's
// inputs, variables and service connections set the way the agent sets them,
// then the task itself, with its own bundled task library (nothing mocked).
const path = require('node:path');
const { TaskMockRunner } = require('azure-pipelines-task-lib/mock-run');

const scenario = JSON.parse(process.env.AFD_TASK_SCENARIO);
const runner = new TaskMockRunner(path.join(__dirname, 'task-entry.cjs'));
for (const [name, value] of Object.entries(scenario.inputs)) runner.setInput(name, value);
for (const [name, value] of Object.entries(scenario.variables ?? {})) runner.setVariableName(name, value, false);
for (const [id, endpoint] of Object.entries(scenario.endpoints ?? {})) {
  process.env[`ENDPOINT_AUTH_SCHEME_${id}`] = endpoint.scheme;
  process.env[`ENDPOINT_AUTH_${id}`] = JSON.stringify({ scheme: endpoint.scheme, parameters: endpoint.auth ?? {} });
  if (endpoint.url) process.env[`ENDPOINT_URL_${id}`] = endpoint.url;
  for (const [key, value] of Object.entries(endpoint.auth ?? {})) process.env[`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`] = value;
  for (const [key, value] of Object.entries(endpoint.data ?? {})) process.env[`ENDPOINT_DATA_${id}_${key.toUpperCase()}`] = value;
}
runner.run(true);
