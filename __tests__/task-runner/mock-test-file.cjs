// The test file azure-pipelines-task-lib's MockTestRunner runs: the task's
// inputs and variables set the way the agent sets them (its service connections
// are in the environment already, see run-task.ts),
// then the task itself, with its own bundled task library (nothing mocked).
const path = require('node:path');
const { TaskMockRunner } = require('azure-pipelines-task-lib/mock-run');

const scenario = JSON.parse(process.env.AFD_TASK_SCENARIO);
const runner = new TaskMockRunner(path.join(__dirname, 'task-entry.cjs'));
for (const [name, value] of Object.entries(scenario.inputs)) runner.setInput(name, value);
for (const [name, value] of Object.entries(scenario.variables ?? {})) runner.setVariableName(name, value, false);
runner.run(true);
