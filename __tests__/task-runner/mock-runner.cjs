// MockTestRunner waits for the task synchronously; in a worker thread that
// wait does not stop servers a test runs in its own process (the Azure stand-ins).
const { parentPort, workerData } = require('node:worker_threads');
const { MockTestRunner } = require('azure-pipelines-task-lib/mock-test');

(async () => {
  const runner = new MockTestRunner(workerData.testFile, workerData.taskJson);
  // The node running the tests, so the runner downloads none.
  runner.nodePath = process.execPath;
  await runner.runAsync();
  const { succeeded, stdout, stderr, errorIssues, warningIssues } = runner;
  parentPort.postMessage({ succeeded, stdout, stderr, errorIssues, warningIssues });
})();
