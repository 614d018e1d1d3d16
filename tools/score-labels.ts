/** Plain names for score factors (their ids are the policy weight keys). */
const FACTOR_LABELS: Record<string, string> = {
  paymentBehaviour: 'Payment behaviour (days beyond terms)',
  lateFrequency: 'How often invoices are paid late',
  currentOverdue: 'Amount currently overdue',
  openDisputes: 'Open disputes',
  brokenPromises: 'Broken promises to pay',
  exposure: 'Exposure against the credit limit',
  relationshipAge: 'Length of the relationship',
  orderTrend: 'Order volume trend',
  externalScore: 'External (bureau) score',
  sectorRisk: 'Sector risk',
  bounds: 'Score kept within 0-100',
};

export const factorLabel = (name: string): string => FACTOR_LABELS[name] ?? name;

export const BAND_WORDS = { low: 'low risk', moderate: 'moderate risk', high: 'high risk' } as const;
