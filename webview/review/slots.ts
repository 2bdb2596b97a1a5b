import type { CompletionView, RecordView, UnitView } from '../../src/protocol/review'

export interface PlacedUnit {
  unit: UnitView
  completion?: CompletionView
}

/** Units in reading order: the conversation first, then each completion's text inside its card. */
export function placeUnits(r: RecordView): { plain: UnitView[]; completions: { completion: CompletionView; units: UnitView[] }[] } {
  const byCompletion = new Map<string, CompletionView>()
  for (const c of r.completions) byCompletion.set(c.address, c)
  const plain = r.units.filter((u) => !byCompletion.has(u.address))
  const completions = r.completions.map((completion) => ({ completion, units: r.units.filter((u) => u.address === completion.address) }))
  return { plain, completions }
}

export interface Slot {
  address: string
  /** Segment index, or null for a unit without segments. */
  segment: number | null
}

/** Every segment of the record in the order it is shown: what next/previous segment walk through. */
export function segmentSlots(r: RecordView | undefined): Slot[] {
  if (!r) return []
  const { plain, completions } = placeUnits(r)
  const units = [...plain, ...completions.flatMap((c) => c.units)]
  const out: Slot[] = []
  for (const u of units) {
    if (u.segments.length === 0) out.push({ address: u.address, segment: null })
    else u.segments.forEach((_, i) => out.push({ address: u.address, segment: i }))
  }
  return out
}
