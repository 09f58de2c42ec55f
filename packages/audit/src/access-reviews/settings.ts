/**
 * `accessReviews:` in the config: the systems whose user access is reviewed,
 * how often, and how many days a revoke may take. It is also the settings of
 * the access-review-performed check (no systems: nothing is judged, and the
 * check says so).
 */
import { z } from 'zod';

export const REVIEW_FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;

export const AccessReviewSettings = z
  .object({
    systems: z
      .array(z.string().min(1))
      .default([])
      // Listed twice, a system's every window was judged twice: its exceptions counted double.
      .superRefine((systems, context) => {
        systems.forEach((system, index) => {
          if (systems.indexOf(system) < index) context.addIssue({ code: 'custom', path: [index], message: `${system} is listed twice: each system is reviewed once per window` });
        });
      })
      .describe('systems whose accounts are reviewed, as records name them (e.g. github:acme-corp)'),
    frequency: z.enum(REVIEW_FREQUENCIES).default('quarterly').describe('how often each system is reviewed, counted from the period\'s first day'),
    // Past what a date can hold, the deadline was an invalid date and the check failed with "Invalid time value".
    revokeSlaDays: z.number().int().positive().max(36_500, 'at most 36500 days (a hundred years)').default(14).describe('days after a revoke decision by which a later inventory must show the account gone or disabled'),
    inactiveDays: z.number().int().positive().default(90).describe('days without a sign-in after which `start` suggests an account as inactive'),
    directorySystems: z.array(z.string()).default(['google-workspace']).describe('system prefixes whose accounts are the people'),
  })
  .strict();
export type AccessReviewSettings = z.infer<typeof AccessReviewSettings>;
