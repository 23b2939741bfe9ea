import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { createGoalInput, goalProgressInput, measureProblems, updateGoalInput } from './goal.inputs.js';
import { closeGoal, createGoal, recordGoalProgress, updateGoal } from './goal.service.js';
import { GoalMeasureEnum, GoalRef, GoalUpdateRef } from './goal.type.js';

// Goal mutations: decode ids (a wrong or foreign id is "not found"), check the whole input with
// zod (every problem at once, nothing stored), call one service function, answer after commit.

export function idOf(value: unknown, typename: string, what: string): string {
  const id = decodeId(value == null ? null : String(value), typename);
  if (!id) throw new NotFoundError(what);
  return id;
}
const goalIdOf = (value: unknown) => idOf(value, 'Goal', 'That goal');
export const mentorshipIdOf = (value: unknown) => idOf(value, 'Mentorship', 'That mentorship');

export const GOAL_ERRORS = [ValidationError, NotFoundError, ConflictError] as const;

const CreateGoalInput = builder.inputType('CreateGoalInput', {
  description: 'A SMART goal: specific outcome, measured (a target or a checklist), why it matters, due day.',
  fields: (t) => ({
    mentorshipId: t.id(),
    title: t.string({ description: 'At most 120 characters.' }),
    specificOutcome: t.string({ description: 'What exactly will be different.' }),
    measure: t.field({ type: GoalMeasureEnum }),
    startValue: t.float({ required: false, description: 'TARGET: where it starts.' }),
    targetValue: t.float({ required: false, description: 'TARGET: where it should get to.' }),
    unit: t.string({ required: false, description: 'TARGET: the unit in words, e.g. "talks".' }),
    checklist: t.stringList({ required: false, description: 'CHECKLIST: the steps, at most 20.' }),
    whyItMatters: t.string(),
    dueOn: t.string({ description: 'YYYY-MM-DD, today or later in your zone.' }),
  }),
});

const UpdateGoalInput = builder.inputType('UpdateGoalInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    goalId: t.id(),
    title: t.string({ required: false }),
    specificOutcome: t.string({ required: false }),
    whyItMatters: t.string({ required: false }),
    dueOn: t.string({ required: false, description: 'YYYY-MM-DD, today or later in your zone.' }),
    targetValue: t.float({ required: false, description: 'TARGET goals only.' }),
    unit: t.string({ required: false, description: 'TARGET goals only.' }),
  }),
});

const RecordGoalProgressInput = builder.inputType('RecordGoalProgressInput', {
  fields: (t) => ({
    goalId: t.id(),
    value: t.float({ required: false, description: 'TARGET: the new current value.' }),
    doneItemIds: t.idList({ required: false, description: 'CHECKLIST: every step done after this update.' }),
    note: t.string({ required: false, description: 'At most 1000 characters.' }),
  }),
});

// One input type per mutation (its name + Input), as every other mutation has.
function closeGoalInput(name: string) {
  return builder.inputType(name, {
    fields: (t) => ({
      goalId: t.id(),
      note: t.string({ required: false, description: 'At most 1000 characters.' }),
    }),
  });
}
const CompleteGoalInput = closeGoalInput('CompleteGoalInput');
const DropGoalInput = closeGoalInput('DropGoalInput');

const GoalPayload = builder.objectRef<{ goalId: string }>('GoalPayload').implement({
  fields: (t) => ({
    goal: t.prismaField({
      type: GoalRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.goal.findUniqueOrThrow({ ...query, where: { id: payload.goalId } }),
    }),
  }),
});

const GoalProgressPayload = builder.objectRef<{ goalId: string; updateId: string }>('GoalProgressPayload').implement({
  fields: (t) => ({
    goal: t.prismaField({
      type: GoalRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.goal.findUniqueOrThrow({ ...query, where: { id: payload.goalId } }),
    }),
    update: t.prismaField({
      type: GoalUpdateRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.goalUpdate.findUniqueOrThrow({ ...query, where: { id: payload.updateId } }),
    }),
  }),
});

const noteOf = (note: string | null | undefined) => {
  const parsed = goalProgressInput.shape.note.safeParse(note ?? '');
  if (!parsed.success) throw toValidationError(parsed.error.issues.map((issue) => ({ ...issue, path: ['note'] })));
  return parsed.data;
};

builder.mutationFields((t) => ({
  createGoal: t.field({
    type: GoalPayload,
    description: 'Either member of an ACTIVE mentorship; posts a card into its conversation.',
    args: { input: t.arg({ type: CreateGoalInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { mentorshipId: rawId, ...rest } = input;
      const mentorshipId = mentorshipIdOf(rawId);
      const parsed = createGoalInput.safeParse(rest);
      const problems = [
        ...(parsed.success ? [] : toValidationError(parsed.error.issues).fieldErrors),
        ...measureProblems(rest),
      ];
      if (problems.length > 0 || !parsed.success) throw new ValidationError(problems);
      return { goalId: await createGoal(ctx, mentorshipId, parsed.data) };
    },
  }),
  updateGoal: t.field({
    type: GoalPayload,
    args: { input: t.arg({ type: UpdateGoalInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { goalId: rawId, ...rest } = input;
      const goalId = goalIdOf(rawId);
      const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value != null));
      const parsed = updateGoalInput.safeParse(changes);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      await updateGoal(ctx, goalId, parsed.data);
      return { goalId };
    },
  }),
  recordGoalProgress: t.field({
    type: GoalProgressPayload,
    description:
      'A new value (TARGET) or the steps done (CHECKLIST), with an optional note: posts a card; reaching the target completes the goal.',
    args: { input: t.arg({ type: RecordGoalProgressInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const goalId = goalIdOf(input.goalId);
      const parsed = goalProgressInput.safeParse({
        value: input.value,
        doneItemIds: input.doneItemIds?.map(String),
        note: input.note ?? '',
      });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      // A step id that is not one decodes to a value no step has: the service reports it.
      const doneItemIds = parsed.data.doneItemIds?.map((id) => decodeId(id, 'GoalChecklistItem') ?? `invalid:${id}`);
      return recordGoalProgress(ctx, goalId, { value: parsed.data.value, doneItemIds, note: parsed.data.note });
    },
  }),
  completeGoal: t.field({
    type: GoalPayload,
    description: 'Marks an ACTIVE goal completed by hand (posts a completion card).',
    args: { input: t.arg({ type: CompleteGoalInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const goalId = goalIdOf(input.goalId);
      await closeGoal(ctx, goalId, 'COMPLETED', noteOf(input.note));
      return { goalId };
    },
  }),
  dropGoal: t.field({
    type: GoalPayload,
    description: 'Gives an ACTIVE goal up (posts a card saying so); its nudges stop.',
    args: { input: t.arg({ type: DropGoalInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const goalId = goalIdOf(input.goalId);
      await closeGoal(ctx, goalId, 'DROPPED', noteOf(input.note));
      return { goalId };
    },
  }),
}));
