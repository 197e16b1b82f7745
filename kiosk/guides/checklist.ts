/**
 * 一次性告知 / 容缺受理: compare what the applicant has with the item's materials.
 * 山东通则 clause 56 and the 沂南 work rules (容缺受理制度): when the basic conditions
 * are met and the main materials are complete, an item may be accepted first and the
 * missing secondary materials handed in later under a signed commitment.
 */
import type { Material } from '../../config/guides/schema.ts';
import type { GuideItem } from './load-guides.ts';

/** One requirement that is not met: a single material, or alternatives (any one will do). */
export interface MissingRequirement {
  readonly materials: readonly Material[];
  /** True when every alternative may be handed in later under 容缺受理. */
  readonly deferrable: boolean;
}

export type ChecklistOutcome = 'complete' | 'accept-with-deferral' | 'cannot-accept';

export interface ChecklistResult {
  readonly itemId: string;
  readonly provided: readonly Material[];
  /** Required materials still missing (blocking and deferrable). */
  readonly missingRequired: readonly MissingRequirement[];
  /** Missing, but 容缺受理 allows accepting now and handing them in later. */
  readonly deferrable: readonly MissingRequirement[];
  /** Missing and must be brought before the application can be accepted. */
  readonly blocking: readonly MissingRequirement[];
  /** Conditional materials (needed only in special cases) not provided. */
  readonly conditional: readonly Material[];
  /** Ids in `have` that the item does not list. */
  readonly unknownIds: readonly string[];
  readonly outcome: ChecklistOutcome;
  readonly canAcceptNow: boolean;
  /** Acceptance now needs a signed 容缺受理告知承诺书. */
  readonly needsCommitment: boolean;
}

export function checklist(item: GuideItem, have: ReadonlySet<string>): ChecklistResult {
  const provided = item.materials.filter((m) => have.has(m.id));
  const known = new Set(item.materials.map((m) => m.id));
  const unknownIds = [...have].filter((id) => !known.has(id));

  const missingRequired: MissingRequirement[] = [];
  const doneGroups = new Set<string>();
  for (const m of item.materials) {
    if (!m.required) continue;
    if (m.alternativeGroup) {
      if (doneGroups.has(m.alternativeGroup)) continue;
      doneGroups.add(m.alternativeGroup);
      const group = item.materials.filter((x) => x.required && x.alternativeGroup === m.alternativeGroup);
      if (group.some((x) => have.has(x.id))) continue;
      missingRequired.push({ materials: group, deferrable: group.every((x) => x.deferrable) });
    } else if (!have.has(m.id)) {
      missingRequired.push({ materials: [m], deferrable: m.deferrable });
    }
  }
  const deferrable = missingRequired.filter((r) => r.deferrable);
  const blocking = missingRequired.filter((r) => !r.deferrable);
  const conditional = item.materials.filter((m) => !m.required && !have.has(m.id));
  const outcome: ChecklistOutcome =
    blocking.length > 0 ? 'cannot-accept' : deferrable.length > 0 ? 'accept-with-deferral' : 'complete';
  return {
    itemId: item.id,
    provided,
    missingRequired,
    deferrable,
    blocking,
    conditional,
    unknownIds,
    outcome,
    canAcceptNow: outcome !== 'cannot-accept',
    needsCommitment: outcome === 'accept-with-deferral',
  };
}
