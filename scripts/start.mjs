/**
 * `npm start`: install what is missing, build the app, then serve the app and the registry proxy
 * on one port (PORT, default 8080).
 */
import { ensureDependencies, run } from './ensure-deps.mjs';

ensureDependencies();
run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['tsx', 'proxy/node-server.ts']);
