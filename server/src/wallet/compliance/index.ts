// Compliance owns freezes, identity verification (KYC) and the four-eyes unfreeze, with their audit trail.
export { registerComplianceRoutes } from './compliance.routes.js';
