// The verdict of CASES.md "Verdict": one shape for the API, the CLI's JSONL and the case record.
import { type Static, Type } from 'typebox';

const Hash = Type.String({ pattern: '^0x[0-9a-f]{64}$', description: 'bytes32 as 0x-hex.' });

export const Verdict = Type.Object(
  {
    ref: Type.Union([Type.String(), Type.Null()], { description: "The case's `ref`, echoed; null when it had none." }),
    outcome: Type.Enum(['claimant', 'respondent'], { description: '`claimant`: an award is owed; `respondent`: nothing is owed.' }),
    award: Type.Union([Type.Object({ amount: Type.Number(), currency: Type.String() }, { additionalProperties: false }), Type.Null()], {
      description: 'Null when the outcome is `respondent`.',
    }),
    grounds: Type.Array(Type.String(), { description: 'Machine-readable reasons (LAW.md codes), most specific first.' }),
    explanation: Type.String({ description: 'One or two plain sentences a claimant understands.' }),
    model: Type.Object({ id: Type.String({ examples: ['visa@1.0.0'] }), root: Hash }, { additionalProperties: false }),
    inputHash: Type.String({ ...Hash, description: 'S_0: hash of the featurized input (PROTOCOL.md §2).' }),
    traceRoot: Type.String({ ...Hash, description: 'Merkle root over S_0..S_n (PROTOCOL.md §2).' }),
    steps: Type.Integer({ minimum: 1, description: 'n, the number of model steps.' }),
    review: Type.Boolean({ description: 'True when LAW.md flags the case for a human.' }),
    escrow: Type.Optional(
      Type.Object(
        {
          status: Type.Enum(['escrowed', 'owed_not_escrowed'], {
            description:
              "`escrowed`: the largest award was reserved from the respondent's escrow account when the case opened, and the award is paid from it. `owed_not_escrowed`: the respondent's free escrow did not cover it; the case is decided all the same, but the award is owed by the respondent, not escrowed, and Arbiter cannot pay it.",
          }),
          deposit: Type.String({ pattern: '^[0-9]+$', description: 'The largest award of the case (wei): what was reserved, or what was not escrowed.' }),
          statement: Type.String({ description: 'The same in one plain sentence.' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'What a model decided for a case, with the commitments that let anyone check it.' },
);

export type VerdictT = Static<typeof Verdict>;
