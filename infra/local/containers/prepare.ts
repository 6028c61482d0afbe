// `npm run containers:prepare`: synthesizes the stack template the container runtime reads, once, into
// its cache, so that test workers starting container-mode gateways side by side do not each synth.

import { routeTable } from '../../routes.ts';
import { REPO_ROOT } from '../gateway.ts';
import { synthesizedStack } from './stack-template.ts';

const started = performance.now();
const { template } = await synthesizedStack(REPO_ROOT, routeTable);
const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length;
console.log(
  `[containers] stack template ready (${functions} functions) in ${Math.round(performance.now() - started)} ms`,
);
