import { type Language, num, sayFrom, str, type WordingTable, type WordParams } from './index.ts';

/** Everything the Slack app says, in French and English (figures come formatted in params). */
const SLACK = {
  'state.pending': { fr: () => 'En attente de décision', en: () => 'Waiting for a decision' },
  'state.approved': { fr: () => 'Accordé', en: () => 'Approved' },
  'state.declined': { fr: () => 'Refusé', en: () => 'Declined' },
  'state.overridden': {
    fr: () => 'Décidé contre la recommandation',
    en: () => 'Decided against the recommendation',
  },

  'terms.request': {
    fr: (p) => `${str(p, 'days')}${p.endOfMonth ? ' fin de mois' : ''} sur ${str(p, 'amount')}`,
    en: (p) => `${str(p, 'days')}${p.endOfMonth ? ' end of month' : ''} on ${str(p, 'amount')}`,
  },
  'terms.asOf': { fr: (p) => `au ${str(p, 'date')}`, en: (p) => `as of ${str(p, 'date')}` },
  'label.score': { fr: () => 'Score', en: () => 'Score' },
  'label.exposure': { fr: () => 'Encours / limite', en: () => 'Exposure / limit' },
  'label.conditions': { fr: () => 'Conditions', en: () => 'Conditions' },
  'label.decides': { fr: () => 'Qui décide', en: () => 'Who decides' },
  'label.reasons': { fr: () => 'Pourquoi', en: () => 'Why' },
  'score.value': {
    fr: (p) => `${num(p, 'score')}/100 · note ${str(p, 'grade')}`,
    en: (p) => `${num(p, 'score')}/100 · grade ${str(p, 'grade')}`,
  },
  'exposure.value': {
    fr: (p) => `${str(p, 'before')} → ${str(p, 'after')}\nlimite ${str(p, 'limit')}`,
    en: (p) => `${str(p, 'before')} → ${str(p, 'after')}\nlimit ${str(p, 'limit')}`,
  },
  'exposure.over': { fr: () => ' (au-dessus de la limite)', en: () => ' (over the limit)' },
  'cond.prepayment': { fr: () => 'paiement d’avance', en: () => 'prepayment' },
  'cond.deposit': {
    fr: (p) => `acompte de ${str(p, 'percent')} (${str(p, 'amount')})`,
    en: (p) => `${str(p, 'percent')} deposit (${str(p, 'amount')})`,
  },
  'cond.maxDays': { fr: (p) => `${str(p, 'days')} au plus`, en: (p) => `at most ${str(p, 'days')}` },
  'cond.guarantee': { fr: () => 'garantie', en: () => 'guarantee' },
  'cond.none': { fr: () => 'aucune', en: () => 'none' },
  'decides.role': {
    fr: (p) => `rôle ${str(p, 'role')} ou plus`,
    en: (p) => `${str(p, 'role')} role or above`,
  },
  'decides.nobody': { fr: () => 'personne (hors politique)', en: () => 'nobody (outside the policy)' },
  'legal.unlawful': {
    fr: (p) => `Illégal : au plus ${str(p, 'days')} (${str(p, 'reference')}).`,
    en: (p) => `Unlawful: at most ${str(p, 'days')} (${str(p, 'reference')}).`,
  },
  'note.recorded': {
    fr: (p) =>
      `Recommandation ${str(p, 'id')} enregistrée : rien n’est accordé tant qu’une personne n’a pas décidé.`,
    en: (p) => `Recommendation ${str(p, 'id')} recorded: nothing is granted until a person decides.`,
  },
  'note.unmapped': {
    fr: () =>
      'Votre compte Slack n’est lié à aucun utilisateur encours : vous pouvez poser des questions, pas demander ni décider. Un administrateur peut vous lier avec `encours users link`.',
    en: () =>
      'Your Slack account is not linked to an encours user: you may ask, not request or decide. An admin can link you with `encours users link`.',
  },
  'button.requestApproval': { fr: () => 'Demander une validation', en: () => 'Request approval' },
  'button.open': { fr: () => 'Ouvrir dans encours', en: () => 'Open in encours' },
  'button.approve': { fr: () => 'Accorder', en: () => 'Approve' },
  'button.decline': { fr: () => 'Refuser', en: () => 'Decline' },
  'button.queue': { fr: () => 'Voir la file', en: () => 'Open the queue' },

  'confirm.title': { fr: () => 'Accorder ces conditions ?', en: () => 'Approve these terms?' },
  'confirm.text': {
    fr: (p) => `${str(p, 'client')} : ${str(p, 'request')}. La décision est enregistrée à votre nom.`,
    en: (p) => `${str(p, 'client')}: ${str(p, 'request')}. The decision is recorded under your name.`,
  },
  'confirm.yes': { fr: () => 'Accorder', en: () => 'Approve' },
  'confirm.no': { fr: () => 'Annuler', en: () => 'Cancel' },

  'approval.header': {
    fr: (p) => `Demande de validation : ${str(p, 'client')}`,
    en: (p) => `Approval requested: ${str(p, 'client')}`,
  },
  'approval.by': {
    fr: (p) => `Demandée par ${str(p, 'who')}${p.note ? ` : « ${str(p, 'note')} »` : ''}`,
    en: (p) => `Requested by ${str(p, 'who')}${p.note ? `: "${str(p, 'note')}"` : ''}`,
  },
  'approval.sent': {
    fr: (p) => `Demande envoyée à la finance (${str(p, 'channel')}). Vous serez prévenu de la décision.`,
    en: (p) => `Request sent to finance (${str(p, 'channel')}). You will be told the decision.`,
  },
  'approval.noChannel': {
    fr: () =>
      'Demande enregistrée, mais aucun canal finance n’est configuré (ENCOURS_SLACK_FINANCE_CHANNEL) : elle attend dans la file web.',
    en: () =>
      'Request recorded, but no finance channel is configured (ENCOURS_SLACK_FINANCE_CHANNEL): it waits in the web queue.',
  },
  'approval.already': {
    fr: (p) => `Cette demande est déjà ${str(p, 'state')}.`,
    en: (p) => `This request is already ${str(p, 'state')}.`,
  },
  'status.decided': {
    fr: (p) =>
      `${str(p, 'state')} par ${str(p, 'who')} le ${str(p, 'when')}${p.reason ? ` : « ${str(p, 'reason')} »` : ''}`,
    en: (p) =>
      `${str(p, 'state')} by ${str(p, 'who')} on ${str(p, 'when')}${p.reason ? `: "${str(p, 'reason')}"` : ''}`,
  },
  'status.notify': {
    fr: (p) => `Votre demande pour ${str(p, 'client')} (${str(p, 'request')}) : ${str(p, 'status')}`,
    en: (p) => `Your request for ${str(p, 'client')} (${str(p, 'request')}): ${str(p, 'status')}`,
  },
  'modal.title': { fr: () => 'Demander des conditions', en: () => 'Request terms' },
  'modal.client': { fr: () => 'Client (nom ou référence)', en: () => 'Client (name or ref)' },
  'modal.days': { fr: () => 'Délai de paiement (jours)', en: () => 'Payment terms (days)' },
  'modal.amount': { fr: () => 'Montant de la commande (EUR)', en: () => 'Order amount (EUR)' },
  'modal.submit': { fr: () => 'Évaluer', en: () => 'Evaluate' },
  'modal.cancel': { fr: () => 'Annuler', en: () => 'Cancel' },
  'modal.reasonTitle.decline': { fr: () => 'Refuser la demande', en: () => 'Decline the request' },
  'modal.reasonTitle.override': { fr: () => 'Décider contre l’avis', en: () => 'Override' },
  'modal.reason': {
    fr: () => 'Motif (conservé dans le journal d’audit)',
    en: () => 'Reason (kept in the audit log)',
  },
  'modal.reasonIntro': {
    fr: (p) => `${str(p, 'client')} : ${str(p, 'request')}. Recommandation : ${str(p, 'decision')}.`,
    en: (p) => `${str(p, 'client')}: ${str(p, 'request')}. Recommendation: ${str(p, 'decision')}.`,
  },
  'modal.confirmDecline': { fr: () => 'Refuser', en: () => 'Decline' },
  'modal.confirmOverride': { fr: () => 'Accorder quand même', en: () => 'Approve anyway' },
  'modal.badDays': {
    fr: () => 'Un nombre entier de jours, par exemple 60.',
    en: () => 'A whole number of days, for example 60.',
  },
  'modal.badAmount': {
    fr: () => 'Un montant en euros, par exemple 25000 ou 25 000,50.',
    en: () => 'An amount in euros, for example 25000 or 25,000.50.',
  },
  'modal.reasonRequired': { fr: () => 'Le motif est obligatoire.', en: () => 'A reason is required.' },

  'error.usage': {
    fr: () =>
      'Utilisation : `/credit <client> [jours] [montant]`, par exemple `/credit Dupont BTP 60 25000`. Ajoutez `public` pour répondre dans le canal.',
    en: () =>
      'Usage: `/credit <client> [days] [amount]`, for example `/credit Dupont BTP 60 25000`. Add `public` to answer in the channel.',
  },
  'error.notFound': {
    fr: (p) =>
      `Aucun client ne correspond à « ${str(p, 'query')} ». Essayez sa référence ou une partie de son nom.`,
    en: (p) => `No client matches "${str(p, 'query')}". Try its ref or part of its name.`,
  },
  'error.noData': {
    fr: () =>
      'encours ne contient encore aucune donnée : la finance doit importer les exports comptables (`encours import`), ou `encours demo` pour essayer.',
    en: () =>
      'encours holds no data yet: finance needs to import the accounting exports (`encours import`), or run `encours demo` to try it out.',
  },
  'error.ambiguous': {
    fr: (p) => `Plusieurs clients correspondent à « ${str(p, 'query')} » : lequel ?`,
    en: (p) => `Several clients match "${str(p, 'query')}": which one?`,
  },
  'error.invalid': {
    fr: (p) => `Demande invalide : ${str(p, 'message')}`,
    en: (p) => `Invalid request: ${str(p, 'message')}`,
  },
  'error.forbidden': {
    fr: (p) => `Refusé : ${str(p, 'message')}`,
    en: (p) => `Refused: ${str(p, 'message')}`,
  },
  'error.stale': {
    fr: (p) => `Ce bouton n’est plus à jour : ${str(p, 'message')}. Rien n’a été modifié.`,
    en: (p) => `This button is out of date: ${str(p, 'message')}. Nothing was changed.`,
  },
  'error.tool': {
    fr: (p) => `Je n’ai pas pu obtenir la réponse (${str(p, 'message')}). Réessayez dans un instant.`,
    en: (p) => `I could not get the answer (${str(p, 'message')}). Please try again in a moment.`,
  },
  'error.agent': {
    fr: () =>
      'L’assistant n’a pas pu répondre (service du modèle indisponible ou trop lent). Réessayez, ou utilisez `/credit <client> <jours> <montant>` qui ne dépend pas du modèle.',
    en: () =>
      'The assistant could not answer (the model service is unavailable or too slow). Try again, or use `/credit <client> <days> <amount>`, which does not need the model.',
  },
  'error.unexpected': {
    fr: () => 'erreur inattendue, notée dans le journal du serveur',
    en: () => 'unexpected error, written to the server log',
  },
  thinking: { fr: () => 'Je regarde…', en: () => 'Looking into it…' },

  'digest.title': {
    fr: (p) => `Point crédit du ${str(p, 'date')}`,
    en: (p) => `Credit digest, ${str(p, 'date')}`,
  },
  'digest.drafts': {
    fr: (p) => `*${num(p, 'n')}* relance(s) à relire`,
    en: (p) => `*${num(p, 'n')}* reminder draft(s) to review`,
  },
  'digest.pending': {
    fr: (p) => `*${num(p, 'n')}* demande(s) de conditions en attente`,
    en: (p) => `*${num(p, 'n')}* terms request(s) pending`,
  },
  'digest.overdueTitle': { fr: () => 'Plus gros retards récents', en: () => 'Biggest new overdue amounts' },
  'digest.overdueLine': {
    fr: (p) =>
      `${str(p, 'client')} : ${str(p, 'amount')} (${str(p, 'invoice')}, échue depuis ${str(p, 'days')})`,
    en: (p) => `${str(p, 'client')}: ${str(p, 'amount')} (${str(p, 'invoice')}, ${str(p, 'days')} overdue)`,
  },
  'digest.noOverdue': { fr: () => 'Aucun nouveau retard.', en: () => 'No new overdue invoice.' },
} satisfies WordingTable;

export type SlackCode = keyof typeof SLACK;

/** One Slack sentence in the asker's language. */
export const slackSay = (code: SlackCode, lang: Language, params: WordParams = {}): string =>
  sayFrom<SlackCode>(SLACK, { code, params }, lang);

export const SLACK_CODES = Object.keys(SLACK) as SlackCode[];
