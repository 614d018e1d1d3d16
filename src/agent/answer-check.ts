import { checkGroundedness, type GroundingFinding, indexFacts } from '../core/grounding.ts';
import type { Language } from './language.ts';

/**
 * The last check on every answer the model gives, whatever ended the turn (an answer, the step
 * limit): a sentence with a figure no tool result contains is withheld, and a sentence that claims
 * an action the tool log does not show is replaced by what actually happened.
 */
export interface CheckedAnswer {
  answer: string;
  /** Figures no tool result contains (their sentences were withheld). */
  findings: GroundingFinding[];
  /** Sentences withheld for an ungrounded figure. */
  withheld: string[];
  /** Claims of an action that did not happen (their sentences were replaced). */
  falseClaims: string[];
}

export interface ToolOutcomeRecord {
  name: string;
  ok: boolean;
  refused?: boolean;
}

/**
 * Claims of something done, by the tool that would have done it. `null`: no tool of the assistant
 * can do it (it never approves terms, grants days or sends anything), so the claim is always false.
 */
const CLAIMS: { re: RegExp; tool: string | null }[] = [
  {
    re: /\b(?:i|we)(?:'ve| have)?\s+(?:approved|granted|accepted|sent|emailed|e-mailed)\b|\b(?:approved|granted|accepted)\s+(?:\d+\s+days|the\s+(?:request|terms|extension))\b|\b(?:approved|granted)\s+as\s+requested\b|\b(?:has|have)\s+been\s+(?:approved|granted|sent)\b/i,
    tool: null,
  },
  {
    re: /\b(?:j'ai|j’ai|nous avons)\s+(?:approuvé|accordé|accepté|validé|envoyé|expédié)\b|\b(?:approuvée?s?|accordée?s?|validée?s?)\s+(?:\d+\s+jours|la\s+demande|les\s+conditions)\b|\b(?:a|ont)\s+été\s+(?:approuvée?s?|accordée?s?|envoyée?s?)\b|\baccordée?s?\s+comme\s+demandé/i,
    tool: null,
  },
  {
    re: /\b(?:i|we)(?:'ve| have)?\s+(?:drafted|prepared|written)\b|\b(?:j'ai|j’ai|nous avons)\s+(?:rédigé|préparé)\b/i,
    tool: 'draft-reminder',
  },
  {
    re: /\b(?:i|we)(?:'ve| have)?\s+(?:submitted|requested|escalated|sent\s+(?:it|the\s+request)\s+for\s+approval)\b|\b(?:j'ai|j’ai|nous avons)\s+(?:soumis|transmis|demandé)\b/i,
    tool: 'request-terms-approval',
  },
  {
    re: /\b(?:i|we)(?:'ve| have)?\s+(?:recorded|logged)\b|\b(?:j'ai|j’ai|nous avons)\s+(?:enregistré|consigné)\b/i,
    tool: 'record',
  },
];

const WITHHELD = {
  en: (n: number) =>
    `\n\n(Withheld: ${n} sentence${n > 1 ? 's' : ''} with figures that do not appear in the data. Ask again, or check the figures with the tools.)`,
  fr: (n: number) =>
    `\n\n(Masqué : ${n} phrase${n > 1 ? 's' : ''} avec des valeurs absentes des données. Reposez la question ou vérifiez les valeurs avec les outils.)`,
};

const CORRECTED = {
  en: (done: string) => `(Correction: no such action was taken. What actually happened: ${done}.)`,
  fr: (done: string) =>
    `(Correction : cette action n'a pas eu lieu. Ce qui s'est réellement passé : ${done}.)`,
};

function whatHappened(calls: readonly ToolOutcomeRecord[], language: Language): string {
  const writes = calls.filter((c) => !/^(get|list|find|explain)-/.test(c.name));
  if (!writes.length)
    return language === 'fr' ? 'aucune action, seulement des lectures' : 'nothing, only look-ups';
  return writes
    .map((c) =>
      language === 'fr'
        ? `${c.name} ${c.refused ? 'refusé' : c.ok ? 'exécuté' : 'en échec'}`
        : `${c.name} ${c.refused ? 'refused' : c.ok ? 'done' : 'failed'}`,
    )
    .join(', ');
}

/** Sentences with their line breaks kept: a dot between digits ("12.15") does not end one. */
function sentences(text: string): string[] {
  const masked = text.replace(/(\d)[.](\d)/g, '$1\u0000$2');
  return (masked.match(/[^.!?\n]*(?:[.!?]+|\n+|$)/g) ?? [])
    .filter((s) => s.length)
    .map((s) => s.split('\u0000').join('.'));
}

export function checkAnswer(
  answer: string,
  facts: readonly unknown[],
  calls: readonly ToolOutcomeRecord[],
  language: Language,
): CheckedAnswer {
  const index = indexFacts(...facts);
  const findings = checkGroundedness(answer, index).findings;
  const bad = new Set(findings.map((f) => f.text));
  const withheld: string[] = [];
  const falseClaims: string[] = [];
  let corrected = false;
  const kept: string[] = [];
  for (const s of sentences(answer)) {
    if ([...bad].some((t) => s.includes(t))) {
      withheld.push(s.trim());
      continue;
    }
    const claim = CLAIMS.find((c) => c.re.test(s));
    const backed =
      claim &&
      claim.tool !== null &&
      calls.some(
        (c) => c.ok && (claim.tool === 'record' ? /^(record|log)-/.test(c.name) : c.name === claim.tool),
      );
    if (claim && !backed) {
      falseClaims.push(s.trim());
      if (!corrected) kept.push(`${CORRECTED[language](whatHappened(calls, language))} `);
      corrected = true;
      continue;
    }
    kept.push(s);
  }
  let text = kept.join('').trim();
  if (withheld.length) text += WITHHELD[language](withheld.length);
  return { answer: text.trim(), findings, withheld, falseClaims };
}
