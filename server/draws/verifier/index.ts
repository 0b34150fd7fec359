// The verifier behind `npm run verify` (verify-cli.ts): re-runs a draw from its public evidence.
export { verifyEvidence } from './verify-evidence.ts';
export { loadFromFile, loadFromUrl, type DrawEvidence } from './verify-source.ts';
export { verificationSteps, type VerifyStep } from './verify-steps.ts';
