/**
 * 一次性告知 / 容缺受理: compare what the applicant has with the item's materials.
 * 山东通则 clause 56 and the 沂南 work rules (容缺受理制度): when the basic conditions
 * are met and the main materials are complete, an item may be accepted first and the
 * missing secondary materials handed in later under a signed commitment.
 * 承诺制: some materials are replaced outright by a 个人承诺书 signed at the window; an item whose
 * only missing materials are those can be accepted now as well. This file is the one home of the
 * verdict: the printed 告知单, the API and the guide screen all take it from here.
 */
import type { Material } from '../../config/guides/schema.ts';
import type { GuideItem } from './load-guides.ts';

/** One requirement that is not met: a single material, or alternatives (any one will do). */
export interface MissingRequirement {
  readonly materials: readonly Material[];
  /** True when every alternative may be handed in later under 容缺受理. */
  readonly deferrable: boolean;
  /** 承诺制: not deferrable, but a signed 个人承诺书 replaces it. */
  readonly byCommitment: boolean;
}

export type ChecklistOutcome = 'complete' | 'accept-with-deferral' | 'accept-with-commitment' | 'cannot-accept';

/** 承诺制: a signed 个人承诺书 at the window replaces the material (its name or note says so). */
export function replacedByCommitment(m: Material): boolean {
  return /承诺制|个人承诺书/.test(`${m.name}${m.notes ?? ''}`);
}

function requirement(materials: readonly Material[]): MissingRequirement {
  const deferrable = materials.every((x) => x.deferrable);
  return { materials, deferrable, byCommitment: !deferrable && materials.some(replacedByCommitment) };
}

export interface ChecklistResult {
  readonly itemId: string;
  readonly provided: readonly Material[];
  /** Required materials still missing (blocking and deferrable). */
  readonly missingRequired: readonly MissingRequirement[];
  /** Missing, but 容缺受理 allows accepting now and handing them in later. */
  readonly deferrable: readonly MissingRequirement[];
  /** Missing and must be brought before the application can be accepted. */
  readonly blocking: readonly MissingRequirement[];
  /** Missing, but a 个人承诺书 signed at the window replaces each (承诺制). */
  readonly byCommitment: readonly MissingRequirement[];
  /** Conditional materials (needed only in special cases) not provided. */
  readonly conditional: readonly Material[];
  /** Ids in `have` that the item does not list. */
  readonly unknownIds: readonly string[];
  readonly outcome: ChecklistOutcome;
  readonly canAcceptNow: boolean;
  /** Acceptance now needs a signed 容缺受理告知承诺书. */
  readonly needsCommitment: boolean;
  /** Acceptance now needs a signed 个人承诺书 in place of the materials in `byCommitment`. */
  readonly needsPersonalCommitment: boolean;
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
      missingRequired.push(requirement(group));
    } else if (!have.has(m.id)) {
      missingRequired.push(requirement([m]));
    }
  }
  const deferrable = missingRequired.filter((r) => r.deferrable);
  const byCommitment = missingRequired.filter((r) => r.byCommitment);
  const blocking = missingRequired.filter((r) => !r.deferrable && !r.byCommitment);
  const conditional = item.materials.filter((m) => !m.required && !have.has(m.id));
  const outcome: ChecklistOutcome =
    blocking.length > 0 ? 'cannot-accept' : byCommitment.length > 0 ? 'accept-with-commitment' : deferrable.length > 0 ? 'accept-with-deferral' : 'complete';
  const acceptable = outcome !== 'cannot-accept';
  return {
    itemId: item.id,
    provided,
    missingRequired,
    deferrable,
    blocking,
    byCommitment,
    conditional,
    unknownIds,
    outcome,
    canAcceptNow: acceptable,
    needsCommitment: acceptable && deferrable.length > 0,
    needsPersonalCommitment: acceptable && byCommitment.length > 0,
  };
}
