/**
 * What custom checks import from the collector: the check contract. (The
 * collector is otherwise a command-line program; connectors use @evidentia/sdk.)
 */
export { defineCheck, type CheckDefinition, type CheckContext, type CheckEvidence, type Finding, type FindingStatus, type InventoryItem, type Window } from './checks/define.js';
