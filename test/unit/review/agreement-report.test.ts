import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { agreement } from '../../../src/core/review/agreement'
import { agreementMarkdown, pickFromKey } from '../../../src/core/review/agreement-report'
import { newEvent, type ReviewEventBody } from '../../../src/core/review/events'
import { replay } from '../../../src/core/review/state'

const ev = (reviewer: string, id: string, body: ReviewEventBody, m: number) => newEvent({ reviewer, shard: 's.jsonl' }, id, body, new Date(Date.UTC(2025, 0, 1, 0, m)))

describe('agreement report', () => {
  it('lists pairwise kappa and conflicts, and marks resolved ones', () => {
    const events = [
      ev('ann', 'a', { type: 'approve' }, 1),
      ev('bob', 'a', { type: 'flag', address: 'prompt', reason: 'omission', severity: 'major', flagId: 'x' }, 2),
      ev('ann', 'b', { type: 'approve' }, 3),
      ev('bob', 'b', { type: 'approve' }, 4),
      ev('ann', 'c', { type: 'pick', chosen: 0, rejected: 1, verdict: 'pair' }, 5),
      ev('bob', 'c', { type: 'pick', chosen: 1, rejected: 0, verdict: 'pair' }, 6),
    ]
    const before = agreement(replay(events))
    assert.equal(before.openConflicts, 2)
    const md = agreementMarkdown('s.jsonl', before)
    assert.match(md, /\| ann \/ bob \| 2 \| 0\.50 \|/)
    assert.match(md, /## Conflicts \(2, 2 unresolved\)/)
    assert.match(md, /approval: ann: approve; bob: flag/)
    const after = agreement(replay([...events, ev('cy', 'c', { type: 'resolve', field: 'pick', value: pickFromKey('1>0')! }, 7)]))
    assert.equal(after.openConflicts, 1)
    assert.match(agreementMarkdown('s.jsonl', after), /pick: ann: 0>1; bob: 1>0 → resolved by cy/)
  })

  it('turns pick keys back into picks', () => {
    assert.deepEqual(pickFromKey('1>0'), { chosen: 1, rejected: 0, verdict: 'pair' })
    assert.deepEqual(pickFromKey('tie'), { chosen: null, rejected: null, verdict: 'tie' })
    assert.equal(pickFromKey('nonsense'), undefined)
  })
})
