// The creator's own winners for a pending giveaway (custom requirement): upload or preview a list, show it,
// clear it, and finalise it into a manual proof bundle.
export { ManualWinners, type ManualWinnersDeps } from './manual-winners.service.ts';
export { parseCandidateText } from './candidate-list.ts';
export { candidateText, readCandidateUpload, uploadField } from './candidate-upload.ts';
