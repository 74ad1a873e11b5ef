// What the report commands that change something share: the kinds of change (goals, summary
// subscriptions, summary pins) for `adminChange` (src/reply/admin.ts), all in the audit log.
import { adminRefusal, type ChangeKind } from '../reply/admin.ts';
import { writeAudit } from '../store/audit.ts';

function reportChanges(
  subject: 'goal' | 'subscription' | 'pin',
  what: 'goals' | 'summary subscriptions' | 'the summary’s pinned KPIs',
  look: string,
): ChangeKind {
  return {
    refusal: () => adminRefusal(what, 'They are', `Anyone can see them with \`${look}\`.`),
    audit: (tx, { id, ...entry }) => writeAudit(tx, [{ ...entry, subject, subjectId: id }]),
  };
}

export const GOAL_CHANGES = reportChanges('goal', 'goals', '/kpi goals');

export const SUBSCRIPTION_CHANGES = reportChanges(
  'subscription',
  'summary subscriptions',
  '/kpi subscriptions',
);

export const PIN_CHANGES = reportChanges('pin', 'the summary’s pinned KPIs', '/kpi summary pins');
