#!/usr/bin/env node
// `npx countersign …` from the repository: TypeScript sources run through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
