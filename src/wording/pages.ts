import { type Language, type Phrase, sayFrom, str, type WordingEntry, type WordParams } from './index.ts';

/**
 * Every sentence of the finance pages (src/http/pages), in French and English. A page asks for a
 * code; a code missing here is a compile error, and a test renders every code in both languages.
 */
const fixed = (fr: string, en: string): WordingEntry => ({ fr: () => fr, en: () => en });
const with_ = (fr: Phrase, en: Phrase): WordingEntry => ({ fr, en });

export const PAGE_WORDING = {
  'app.tagline': fixed('Risque client et recouvrement', 'Credit risk and collections'),
  'nav.dashboard': fixed('Tableau de bord', 'Dashboard'),
  'nav.clients': fixed('Clients', 'Clients'),
  'nav.reminders': fixed('Relances', 'Reminders'),
  'nav.terms': fixed('Conditions de paiement', 'Payment terms'),
  'nav.audit': fixed("Journal d'audit", 'Audit log'),
  'nav.menu': fixed('Menu', 'Menu'),
  'nav.skip': fixed('Aller au contenu', 'Skip to content'),
  'user.signedInAs': with_(
    (p) => `Connecté : ${str(p, 'name')} (${str(p, 'role')})`,
    (p) => `Signed in: ${str(p, 'name')} (${str(p, 'role')})`,
  ),
  'user.logout': fixed('Se déconnecter', 'Sign out'),
  'lang.switch': fixed('Langue', 'Language'),

  'login.title': fixed('Connexion', 'Sign in'),
  'login.intro': fixed(
    'Accès réservé aux équipes finance et commerciales. Le mot de passe se définit avec « encours users passwd ».',
    'For finance and sales teams. Passwords are set with "encours users passwd".',
  ),
  'login.name': fixed("Nom d'utilisateur", 'User name'),
  'login.password': fixed('Mot de passe', 'Password'),
  'login.submit': fixed('Se connecter', 'Sign in'),
  'login.failed': fixed("Nom d'utilisateur ou mot de passe incorrect.", 'Wrong user name or password.'),
  'login.limited': fixed(
    'Trop de tentatives. Réessayez dans une minute.',
    'Too many attempts. Try again in a minute.',
  ),

  'dash.title': fixed('Tableau de bord du portefeuille', 'Portfolio dashboard'),
  'dash.asOf': with_(
    (p, f) => `Situation au ${f.date(str(p, 'date'))}`,
    (p, f) => `As of ${f.date(str(p, 'date'))}`,
  ),
  'dash.dso': fixed('DSO', 'DSO'),
  'dash.dsoHint': fixed('jours de chiffre d’affaires en créances', 'days of sales outstanding'),
  'dash.cei': fixed('Efficacité du recouvrement (CEI)', 'Collection effectiveness (CEI)'),
  'dash.overdueShare': fixed('Part échue du encours', 'Overdue share of receivables'),
  'dash.disputes': fixed('Litiges ouverts', 'Open disputes'),
  'dash.disputedAmount': with_(
    (p) => `dont ${str(p, 'amount')} bloqués`,
    (p) => `${str(p, 'amount')} on hold`,
  ),
  'dash.openBalance': fixed('Encours total', 'Open receivables'),
  'dash.overdue': fixed('Échu', 'Overdue'),
  'dash.toReview': fixed('Relances à revoir', 'Reminders to review'),
  'dash.termsPending': fixed('Demandes de conditions en attente', 'Terms requests waiting'),
  'dash.aging': fixed('Balance âgée', 'Aging balance'),
  'dash.grades': fixed('Répartition par note de risque', 'Clients by risk grade'),
  'dash.forecast': fixed('Encaissements attendus (13 semaines)', 'Expected cash-in (13 weeks)'),
  'dash.dsoTrend': fixed('Évolution du DSO (12 mois)', 'DSO trend (12 months)'),
  'dash.topOverdue': fixed('Plus gros retards', 'Largest overdue balances'),
  'dash.notDue': fixed('Non échu', 'Not due'),
  'dash.disputed': fixed('En litige', 'Disputed'),
  'dash.later': fixed('Au-delà', 'Later'),
  'dash.days': with_(
    (p) => `${str(p, 'range')} j`,
    (p) => `${str(p, 'range')} d`,
  ),
  'dash.week': with_(
    (p, f) => `sem. du ${f.date(str(p, 'date'))}`,
    (p, f) => `week of ${f.date(str(p, 'date'))}`,
  ),
  'dash.chartAlt': fixed(
    'Les mêmes chiffres figurent dans le tableau sous le graphique.',
    'The same figures are in the table below the chart.',
  ),

  'clients.title': fixed('Clients', 'Clients'),
  'clients.search': fixed('Rechercher un client (nom ou référence)', 'Find a client (name or ref)'),
  'clients.searchButton': fixed('Rechercher', 'Search'),
  'clients.count': with_(
    (p, f) => f.count(Number(p.n), 'client', 'clients'),
    (p, f) => f.count(Number(p.n), 'client', 'clients'),
  ),
  'col.client': fixed('Client', 'Client'),
  'col.ref': fixed('Réf.', 'Ref'),
  'col.segment': fixed('Segment', 'Segment'),
  'col.openBalance': fixed('Encours', 'Open balance'),
  'col.overdue': fixed('Échu', 'Overdue'),
  'col.oldest': fixed('Plus ancien retard', 'Oldest overdue'),
  'col.invoice': fixed('Facture', 'Invoice'),
  'col.issued': fixed('Émise le', 'Issued'),
  'col.due': fixed('Échéance', 'Due'),
  'col.amount': fixed('Montant', 'Amount'),
  'col.open': fixed('Reste dû', 'Open'),
  'col.daysLate': fixed('Jours de retard', 'Days late'),
  'col.status': fixed('Statut', 'Status'),
  'col.stage': fixed('Étape', 'Stage'),
  'col.invoices': fixed('Factures', 'Invoices'),
  'col.total': fixed('Total', 'Total'),
  'col.findings': fixed('Alertes', 'Findings'),
  'col.date': fixed('Date', 'Date'),
  'col.who': fixed('Qui', 'Who'),
  'col.action': fixed('Action', 'Action'),
  'col.subject': fixed('Objet', 'Subject'),
  'col.details': fixed('Détails', 'Details'),
  'col.factor': fixed('Facteur', 'Factor'),
  'col.points': fixed('Points', 'Points'),
  'col.request': fixed('Demande', 'Request'),
  'col.recommendation': fixed('Recommandation', 'Recommendation'),
  'col.decision': fixed('Décision', 'Decision'),
  'col.paidOn': fixed('Payée le', 'Paid on'),
  'col.reason': fixed('Motif', 'Reason'),
  'col.until': fixed("Jusqu'au", 'Until'),
  'days.n': with_(
    (p, f) => f.days(Number(p.n)),
    (p, f) => f.days(Number(p.n)),
  ),
  'none.rows': fixed('Rien à afficher.', 'Nothing to show.'),

  'client.score': fixed('Note de risque', 'Risk score'),
  'client.scoreLine': with_(
    (p) => `${str(p, 'score')}/100 · note ${str(p, 'grade')} · risque ${str(p, 'band')}`,
    (p) => `${str(p, 'score')}/100 · grade ${str(p, 'grade')} · ${str(p, 'band')} risk`,
  ),
  'client.confidence': with_(
    (p) => `Confiance ${str(p, 'pct')} · probabilité de retard ${str(p, 'plate')}`,
    (p) => `Confidence ${str(p, 'pct')} · probability of late payment ${str(p, 'plate')}`,
  ),
  'client.factors': fixed('Ce qui fait la note', 'What makes the score'),
  'client.exposure': fixed('Exposition et limite', 'Exposure and limit'),
  'client.exposureLine': with_(
    (p) =>
      `Exposition ${str(p, 'exposure')} (encours + commandes ouvertes) pour une limite de ${str(p, 'limit')}`,
    (p) =>
      `Exposure ${str(p, 'exposure')} (open balance + open orders) against a limit of ${str(p, 'limit')}`,
  ),
  'client.openInvoices': fixed('Factures ouvertes', 'Open invoices'),
  'client.history': fixed(
    'Historique de paiement (12 dernières factures réglées)',
    'Payment history (last 12 paid invoices)',
  ),
  'client.disputes': fixed('Litiges', 'Disputes'),
  'client.promises': fixed('Promesses de paiement', 'Promises to pay'),
  'promise.pending': fixed('en attente', 'pending'),
  'promise.kept': fixed('tenue', 'kept'),
  'promise.broken': fixed('non tenue', 'broken'),
  'promise.cancelled': fixed('annulée', 'cancelled'),
  'client.decisions': fixed('Décisions de conditions', 'Terms decisions'),
  'client.plan': fixed('Plan de relance', 'Dunning plan'),
  'client.planNext': with_(
    (p, f) => `Prochaine action : ${str(p, 'stage')} le ${f.date(str(p, 'date'))}`,
    (p, f) => `Next action: ${str(p, 'stage')} on ${f.date(str(p, 'date'))}`,
  ),
  'client.planLast': with_(
    (p, f) => `Dernière relance envoyée : ${str(p, 'stage')} le ${f.date(str(p, 'date'))}`,
    (p, f) => `Last reminder sent: ${str(p, 'stage')} on ${f.date(str(p, 'date'))}`,
  ),
  'client.planNone': fixed('Aucune facture échue : rien à relancer.', 'Nothing overdue: nothing to remind.'),
  'client.planHold': fixed(
    'En attente : toutes les factures échues sont exclues.',
    'On hold: every overdue invoice is excluded.',
  ),
  'client.excluded': fixed('Exclues de la relance', 'Left out of reminders'),
  'client.contact': fixed('Contact comptabilité fournisseurs', 'Accounts-payable contact'),
  'client.email': fixed('Destinataire des relances', 'Reminders go to'),
  'client.cc': fixed('En copie (séparés par des virgules)', 'Copied (comma-separated)'),
  'client.saveContact': fixed('Enregistrer le contact', 'Save contact'),
  'client.pause': fixed('Suspendre les relances', 'Pause reminders'),
  'client.pauseInvoice': fixed('Facture (vide = tout le client)', 'Invoice (empty = the whole client)'),
  'client.pauseReason': fixed('Motif', 'Reason'),
  'client.pauseUntil': fixed('Reprise le (facultatif)', 'Resume on (optional)'),
  'client.pauseButton': fixed('Suspendre', 'Pause'),
  'client.pauses': fixed('Suspensions en cours', 'Pauses in force'),
  'client.resume': fixed('Reprendre maintenant', 'Resume now'),
  'client.draft': fixed('Préparer une relance', 'Draft a reminder'),
  'client.audit': fixed('Traçabilité', 'Audit trail'),

  'rem.title': fixed('File de revue des relances', 'Reminder review queue'),
  'rem.intro': fixed(
    'Chaque relance est rédigée à partir des faits, vérifiée par les contrôles, puis envoyée une seule fois après votre approbation.',
    'Each reminder is written from the facts, checked by the guards, and sent exactly once after your approval.',
  ),
  'rem.tab.review': fixed('À revoir', 'To review'),
  'rem.tab.queued': fixed("En attente d'envoi", 'Waiting to go'),
  'rem.tab.sent': fixed('Envoyées', 'Sent'),
  'rem.tab.failed': fixed('Échecs', 'Failed'),
  'rem.tab.closed': fixed('Rejetées ou remplacées', 'Rejected or superseded'),
  'rem.today': fixed("Ce qui part aujourd'hui", 'Going out today'),
  'rem.todayNone': fixed("Rien de prévu aujourd'hui.", 'Nothing planned today.'),
  'rem.outbox': with_(
    (p) =>
      `Aucun serveur SMTP configuré (SMTP_URL) : les e-mails approuvés sont écrits dans ${str(p, 'dir')} au lieu d'être envoyés.`,
    (p) =>
      `No SMTP server configured (SMTP_URL): approved e-mails are written to ${str(p, 'dir')} instead of being sent.`,
  ),
  'rem.smtp': with_(
    (p) => `Envoi par SMTP via ${str(p, 'target')}.`,
    (p) => `Sent by SMTP via ${str(p, 'target')}.`,
  ),
  'rem.window': with_(
    (p) =>
      `Fenêtre d'envoi ${str(p, 'start')}-${str(p, 'end')} (${str(p, 'tz')})${p.business ? ', jours ouvrés' : ''}, ${str(p, 'gap')} jours minimum entre deux relances d'un même client.`,
    (p) =>
      `Sending window ${str(p, 'start')}-${str(p, 'end')} (${str(p, 'tz')})${p.business ? ', business days' : ''}, at least ${str(p, 'gap')} days between two reminders to one client.`,
  ),
  'rem.selectAll': fixed('Tout sélectionner', 'Select all'),
  'rem.select': with_(
    (p) => `Sélectionner ${str(p, 'name')}`,
    (p) => `Select ${str(p, 'name')}`,
  ),
  'rem.bulk': fixed('Pour la sélection', 'For the selection'),
  'rem.bulkApprove': fixed('Approuver et envoyer', 'Approve and send'),
  'rem.bulkReject': fixed('Rejeter', 'Reject'),
  'rem.bulkReschedule': fixed('Reporter au', 'Postpone to'),
  'rem.bulkReason': fixed('Motif (obligatoire pour rejeter)', 'Reason (required to reject)'),
  'rem.open': fixed('Ouvrir', 'Open'),
  'rem.review': fixed('Revoir la relance', 'Review the reminder'),
  'rem.subject': fixed('Objet', 'Subject'),
  'rem.body': fixed('Texte', 'Text'),
  'rem.save': fixed('Enregistrer le texte', 'Save the text'),
  'rem.approve': fixed('Approuver et envoyer', 'Approve and send'),
  'rem.reject': fixed('Rejeter', 'Reject'),
  'rem.rejectReason': fixed('Motif du rejet', 'Why reject'),
  'rem.reschedule': fixed('Reporter', 'Postpone'),
  'rem.rescheduleDate': fixed('Pas avant le', 'Not before'),
  'rem.retry': fixed("Réessayer l'envoi", 'Retry sending'),
  'rem.redraft': fixed('Rédiger à nouveau', 'Draft again'),
  'rem.checks': fixed('Contrôles', 'Checks'),
  'rem.checksOk': fixed(
    'Tous les contrôles passent : la relance peut être approuvée.',
    'Every check passes: the reminder can be approved.',
  ),
  'rem.checksLive': fixed(
    'Les contrôles sont relancés à chaque modification.',
    'The checks run again on every edit.',
  ),
  'rem.blocked': fixed(
    "Bloquée par les contrôles : corrigez le texte (ou rejetez-la) ; elle ne peut pas être approuvée en l'état.",
    'Blocked by the checks: fix the text (or reject it); it cannot be approved as it is.',
  ),
  'rem.facts': fixed('Faits et leur origine', 'Facts and where they come from'),
  'rem.factsIntro': fixed(
    'Chaque chiffre, date et référence de la lettre doit figurer ici ; les contrôles comparent le texte à ces faits.',
    'Every figure, date and reference in the letter must be here; the checks compare the text with these facts.',
  ),
  'rem.fact.invoice': with_(
    (p, f) =>
      `Facture ${str(p, 'ref')} émise le ${f.date(str(p, 'issued'))}, échéance ${f.date(str(p, 'due'))} (${f.days(Number(p.days))} de retard)`,
    (p, f) =>
      `Invoice ${str(p, 'ref')} issued ${f.date(str(p, 'issued'))}, due ${f.date(str(p, 'due'))} (${f.days(Number(p.days))} overdue)`,
  ),
  'rem.fact.invoiceSource': fixed(
    'source : factures et paiements importés, au jour de la rédaction',
    'source: imported invoices and payments, on the day of the draft',
  ),
  'rem.fact.total': fixed('Total réclamé (somme des restes dus)', 'Total claimed (sum of the open amounts)'),
  'rem.fact.deadline': with_(
    (p, f) =>
      `Délai de paiement : ${f.date(str(p, 'date'))}, soit ${f.days(Number(p.days))} après la rédaction (règle du scénario)`,
    (p, f) =>
      `Pay by ${f.date(str(p, 'date'))}, ${f.days(Number(p.days))} after the draft (the scenario's rule)`,
  ),
  'rem.fact.penalty': with_(
    (p) =>
      `Pénalités de retard : ${str(p, 'rate')} par an (politique : taux de référence + marge) ; indemnité forfaitaire ${str(p, 'indemnity')} par facture (${str(p, 'ref')})`,
    (p) =>
      `Late penalties: ${str(p, 'rate')} a year (policy: reference rate + margin); fixed indemnity ${str(p, 'indemnity')} per invoice (${str(p, 'ref')})`,
  ),
  'rem.fact.noPenalty': fixed(
    'Pas de pénalités mentionnées à cette étape.',
    'No penalties stated at this stage.',
  ),
  'rem.fact.stage': with_(
    (p) => `Étape du plan : ${str(p, 'stage')}, ton ${str(p, 'tone')}, langue du client : ${str(p, 'lang')}`,
    (p) => `Plan stage: ${str(p, 'stage')}, ${str(p, 'tone')} tone, client's language: ${str(p, 'lang')}`,
  ),
  'rem.fact.recipient': with_(
    (p) =>
      `Destinataire : ${str(p, 'to')}${str(p, 'cc') ? `, copie : ${str(p, 'cc')}` : ''} (contact du client)`,
    (p) => `To: ${str(p, 'to')}${str(p, 'cc') ? `, cc: ${str(p, 'cc')}` : ''} (the client's contact)`,
  ),
  'rem.fact.noRecipient': fixed(
    "Aucune adresse e-mail pour ce client : renseignez le contact sur sa fiche avant d'approuver.",
    "No e-mail address for this client: set the contact on the client's page before approving.",
  ),
  'rem.fact.excluded': with_(
    (p) => `${str(p, 'ref')} exclue : ${str(p, 'reason')}`,
    (p) => `${str(p, 'ref')} left out: ${str(p, 'reason')}`,
  ),
  'rem.sending': fixed('Envoi', 'Sending'),
  'rem.messageId': fixed('Message-ID', 'Message-ID'),
  'rem.attempts': with_(
    (p) => `Tentatives : ${str(p, 'n')}`,
    (p) => `Attempts: ${str(p, 'n')}`,
  ),
  'rem.nextAttempt': with_(
    (p) => `Prochaine tentative : ${str(p, 'at')}`,
    (p) => `Next attempt: ${str(p, 'at')}`,
  ),
  'rem.lastError': with_(
    (p) => `Dernière erreur : ${str(p, 'error')}`,
    (p) => `Last error: ${str(p, 'error')}`,
  ),
  'rem.sentAt': with_(
    (p) => `Envoyée le ${str(p, 'at')} à ${str(p, 'to')} ; empreinte du contenu ${str(p, 'hash')}`,
    (p) => `Sent on ${str(p, 'at')} to ${str(p, 'to')}; content hash ${str(p, 'hash')}`,
  ),
  'rem.superseded': with_(
    (p) =>
      `Cette relance a été remplacée par une version plus récente (${str(p, 'id')}). Elle ne peut plus être approuvée.`,
    (p) => `This reminder was superseded by a newer draft (${str(p, 'id')}). It can no longer be approved.`,
  ),
  'rem.openNewer': fixed('Ouvrir la version récente', 'Open the newer draft'),
  'rem.readOnly': fixed('Texte approuvé, non modifiable.', 'Approved text, no longer editable.'),
  'rem.reviewed': with_(
    (p) => `Revue par ${str(p, 'by')}${str(p, 'note') ? ` : « ${str(p, 'note')} »` : ''}`,
    (p) => `Reviewed by ${str(p, 'by')}${str(p, 'note') ? `: "${str(p, 'note')}"` : ''}`,
  ),
  'rem.history': fixed('Historique', 'History'),

  'status.draft': fixed('à revoir', 'to review'),
  'status.blocked': fixed('bloquée', 'blocked'),
  'status.approved': fixed('approuvée, en attente', 'approved, queued'),
  'status.sending': fixed("en cours d'envoi", 'sending'),
  'status.sent': fixed('envoyée', 'sent'),
  'status.failed': fixed('échec', 'failed'),
  'status.rejected': fixed('rejetée', 'rejected'),
  'status.superseded': fixed('remplacée', 'superseded'),

  'stage.friendly': fixed('Relance amicale', 'Friendly reminder'),
  'stage.clear': fixed('Relance', 'Reminder'),
  'stage.firm': fixed('Relance ferme', 'Firm reminder'),
  'stage.final_notice': fixed('Dernier avis', 'Final notice'),
  'stage.formal_notice': fixed('Mise en demeure', 'Formal notice'),
  'stage.phone_call': fixed('Appel téléphonique', 'Phone call'),
  'stage.call_recap': fixed("Compte rendu d'appel", 'Call recap'),
  'stage.legal': fixed('Action judiciaire', 'Legal action'),
  'stage.promise_confirmation': fixed('Confirmation de promesse', 'Promise confirmation'),
  'stage.dispute_acknowledgement': fixed('Accusé de réception de litige', 'Dispute acknowledgement'),

  'terms.title': fixed('Demandes de conditions de paiement', 'Payment-terms requests'),
  'terms.intro': fixed(
    'La politique recommande, une personne décide dans la limite de ses droits. Le demandeur ne décide jamais de sa propre demande.',
    'The policy recommends, a person decides within their rights. The requester never decides their own request.',
  ),
  'terms.pending': fixed('En attente de décision', 'Waiting for a decision'),
  'terms.recent': fixed('Décisions récentes', 'Recent decisions'),
  'terms.requestLine': with_(
    (p) =>
      `${str(p, 'days')} jours${p.eom ? ' fin de mois' : ''} pour ${str(p, 'amount')}, demandé par ${str(p, 'by')}`,
    (p) =>
      `${str(p, 'days')} days${p.eom ? ' end of month' : ''} for ${str(p, 'amount')}, asked by ${str(p, 'by')}`,
  ),
  'terms.scoreLine': with_(
    (p) =>
      `Note ${str(p, 'score')}/100 (${str(p, 'grade')}) · exposition après ${str(p, 'after')} · limite ${str(p, 'limit')}`,
    (p) =>
      `Score ${str(p, 'score')}/100 (${str(p, 'grade')}) · exposure after ${str(p, 'after')} · limit ${str(p, 'limit')}`,
  ),
  'terms.approver': with_(
    (p) => `Rôle minimum pour décider : ${str(p, 'role')}`,
    (p) => `Least role allowed to decide: ${str(p, 'role')}`,
  ),
  'terms.reason': fixed('Motif (conservé au journal)', 'Reason (kept in the audit log)'),
  'terms.approve': fixed('Accorder', 'Approve'),
  'terms.decline': fixed('Refuser', 'Decline'),
  'terms.override': fixed('Décider autrement', 'Decide otherwise'),
  'terms.overrideTo': fixed('Décision', 'Decision'),
  'terms.ownRequest': fixed(
    'Vous avez fait cette demande : une autre personne doit décider (règle des quatre yeux).',
    'You asked for these terms: someone else must decide (four-eyes rule).',
  ),
  'terms.noRight': with_(
    (p) => `Votre rôle ne permet pas de décider à ce niveau d'exposition (il faut : ${str(p, 'role')}).`,
    (p) => `Your role may not decide at this exposure (needed: ${str(p, 'role')}).`,
  ),
  'terms.decided': with_(
    (p) => `Décidé : ${str(p, 'decision')} par ${str(p, 'by')} — « ${str(p, 'reason')} »`,
    (p) => `Decided: ${str(p, 'decision')} by ${str(p, 'by')}: "${str(p, 'reason')}"`,
  ),
  'terms.unlawful': with_(
    (p) => `Au-delà du maximum légal de ${str(p, 'max')} jours : seul un refus est possible.`,
    (p) => `Beyond the legal maximum of ${str(p, 'max')} days: it can only be declined.`,
  ),

  'audit.title': fixed("Journal d'audit", 'Audit log'),
  'audit.ok': with_(
    (p, f) => `Chaîne de hachage intacte : ${f.count(Number(p.n), 'entrée vérifiée', 'entrées vérifiées')}.`,
    (p, f) => `Hash chain intact: ${f.count(Number(p.n), 'entry checked', 'entries checked')}.`,
  ),
  'audit.bad': with_(
    (p) => `Journal altéré à l'entrée ${str(p, 'seq')} : ${str(p, 'reason')}.`,
    (p) => `Log tampered at entry ${str(p, 'seq')}: ${str(p, 'reason')}.`,
  ),
  'audit.filter': fixed('Filtrer', 'Filter'),
  'audit.older': fixed('Entrées plus anciennes', 'Older entries'),
  'audit.action': fixed('Action', 'Action'),
  'audit.actor': fixed('Auteur', 'Actor'),
  'audit.subject': fixed('Sujet', 'Subject'),

  'flash.approved': fixed('Relance approuvée.', 'Reminder approved.'),
  'flash.sent': fixed('Relance approuvée et envoyée.', 'Reminder approved and sent.'),
  'flash.queued': fixed(
    "Relance approuvée : elle partira dans la fenêtre d'envoi (ou dès que le serveur de messagerie répond).",
    'Reminder approved: it goes out in the sending window (or as soon as the mail server answers).',
  ),
  'flash.rejected': fixed('Relance rejetée.', 'Reminder rejected.'),
  'flash.saved': fixed('Texte enregistré et vérifié.', 'Text saved and checked.'),
  'flash.rescheduled': fixed('Relance reportée.', 'Reminder postponed.'),
  'flash.bulk': with_(
    (p) => `${str(p, 'ok')} relance(s) traitée(s), ${str(p, 'failed')} refusée(s).`,
    (p) => `${str(p, 'ok')} reminder(s) done, ${str(p, 'failed')} refused.`,
  ),
  'flash.decided': fixed('Décision enregistrée.', 'Decision recorded.'),
  'flash.contact': fixed('Contact enregistré.', 'Contact saved.'),
  'flash.paused': fixed('Relances suspendues.', 'Reminders paused.'),
  'flash.resumed': fixed('Relances reprises.', 'Reminders resumed.'),
  'flash.drafted': fixed(
    'Relance rédigée : elle attend votre revue.',
    'Reminder drafted: it waits for your review.',
  ),
  'flash.error': with_(
    (p) => `Refusé : ${str(p, 'message')}`,
    (p) => `Refused: ${str(p, 'message')}`,
  ),

  'error.title': fixed('Cette page ne peut pas être affichée', 'This page cannot be shown'),
  'error.back': fixed('Retour au tableau de bord', 'Back to the dashboard'),
} satisfies Record<string, WordingEntry>;

export type PageCode = keyof typeof PAGE_WORDING;

/** The words of the pages in one language: `t('nav.dashboard')`, `t('dash.asOf', { date })`. */
export const pageWords =
  (lang: Language) =>
  (code: PageCode, params: WordParams = {}): string =>
    sayFrom(PAGE_WORDING, { code, params }, lang);
