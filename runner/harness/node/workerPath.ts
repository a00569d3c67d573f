// Where the built worker thread file is: beside the harness in dist/, as piscina needs a file to load.
import path from 'node:path';

export const WORKER_FILE = path.join(__dirname, 'js-worker.js');
