import { Type, type Static } from '@sinclair/typebox';

/**
 * Reply shape of POST /kiosk/guides/:id/notice (server/routes/kiosk-guides.ts), shared with the
 * guide screen (ui/types.ts derives its type with `Static`, an `import type` erased by the build).
 * The verdict itself is computed in one place, kiosk/guides/checklist.ts; the screen shows it and
 * never re-derives it.
 */
const MaterialRef = Type.Object({ id: Type.String(), name: Type.String() });

/** One requirement that is not met: a material, or alternatives of which any one will do. */
const RequirementSchema = Type.Object({
  materials: Type.Array(MaterialRef),
  /** Every alternative may be handed in later (容缺受理). */
  deferrable: Type.Boolean(),
  /** A 个人承诺书 signed at the window replaces it (承诺制). */
  byCommitment: Type.Boolean(),
});

export const ChecklistSchema = Type.Object({
  outcome: Type.Union([Type.Literal('complete'), Type.Literal('accept-with-deferral'), Type.Literal('accept-with-commitment'), Type.Literal('cannot-accept')]),
  canAcceptNow: Type.Boolean(),
  /** Acceptance now needs a signed 容缺受理告知承诺书. */
  needsCommitment: Type.Boolean(),
  /** Acceptance now needs a 个人承诺书 in place of `byCommitment`. */
  needsPersonalCommitment: Type.Boolean(),
  /** Missing and to be brought before the application is accepted. */
  blocking: Type.Array(RequirementSchema),
  /** Missing, replaced by a signed 个人承诺书 (承诺制). */
  byCommitment: Type.Array(RequirementSchema),
  /** Missing, may be handed in later (容缺受理). */
  deferrable: Type.Array(RequirementSchema),
  /** Conditional materials (needed only in special cases) not ticked. */
  conditional: Type.Array(MaterialRef),
});
export type ChecklistReply = Static<typeof ChecklistSchema>;

export const NoticeReplySchema = Type.Object({
  checklist: ChecklistSchema,
  /** The 告知单's print result; null when the request asked for the verdict only (`print: false`). */
  print: Type.Union([Type.Object({ ok: Type.Boolean(), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }), Type.Null()]),
});
export type NoticeReply = Static<typeof NoticeReplySchema>;
