// The task bundle is an ES module with top-level await, which require() cannot load: import it.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

import(pathToFileURL(path.resolve(__dirname, '../../dist/task.js')).href);
