/**
 * A small ONNX graph builder over `onnx-proto` (protobufjs): nodes get unique output names, constants are
 * embedded, large float initializers go to one external-data file the way optimum writes `model.onnx_data`.
 */
import { createRequire } from 'node:module'

// onnx-proto is CommonJS without named exports Node can detect; its types describe `{ onnx }`.
const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto')
export const DT = onnx.TensorProto.DataType
type Attr = number | number[] | string | Float32Array

export type Dim = number | string

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = []
  private readonly inputs: ReturnType<typeof valueInfo>[] = []
  private readonly outputs: ReturnType<typeof valueInfo>[] = []
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = []
  /** External data chunks in file order. */
  private readonly external: Uint8Array[] = []
  private externalBytes = 0
  private counter = 0

  constructor(private readonly externalFile: string) {}

  input(name: string, elemType: number, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, shape))
    return name
  }

  output(name: string, from: string, elemType: number, shape: Dim[]): string {
    this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [from], output: [name], name: `${name}_identity` }))
    this.outputs.push(valueInfo(name, elemType, shape))
    return name
  }

  /** A float32 weight stored in the external data file, named as the checkpoint names it. */
  weight(name: string, dims: number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: DT.FLOAT,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: this.externalFile },
          { key: 'offset', value: String(this.externalBytes) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      }),
    )
    this.external.push(bytes)
    this.externalBytes += bytes.byteLength
    return name
  }

  constInt64(values: number[], dims: number[] = [values.length]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)))
    return this.embedded(dims, DT.INT64, new Uint8Array(data.buffer))
  }

  constFloat(values: number[] | Float32Array, dims: number[] = [values.length]): string {
    const data = Float32Array.from(values)
    return this.embedded(dims, DT.FLOAT, new Uint8Array(data.buffer))
  }

  private embedded(dims: number[], dataType: number, rawData: Uint8Array): string {
    const name = `const_${this.counter++}`
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType, rawData }))
    return name
  }

  /** Adds a node; returns its output names (`outputs` of them). */
  ops(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs = 1, names?: string[]): string[] {
    const id = this.counter++
    const out = names ?? Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}_${id}${outputs > 1 ? `_${i}` : ''}`)
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: `${opType}_${id}`,
        input: inputs,
        output: out,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    )
    return out
  }

  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string): string {
    return this.ops(opType, inputs, attrs, 1, name ? [name] : undefined)[0]!
  }

  /** The serialized model and the external data file's bytes. */
  finish(graphName: string, opset: number): { model: Uint8Array; data: Uint8Array[] } {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'phoenix make-tiny-llama',
      opsetImport: [{ domain: '', version: opset }],
      graph: onnx.GraphProto.create({
        name: graphName,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      }),
    })
    return { model: onnx.ModelProto.encode(model).finish(), data: this.external }
  }
}

function valueInfo(name: string, elemType: number, shape: Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  })
}

function attribute(name: string, v: Attr) {
  const T = onnx.AttributeProto.AttributeType
  if (typeof v === 'number') {
    return Number.isInteger(v) && !Object.is(v, -0) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v }
  }
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) }
  if (v instanceof Float32Array) return { name, type: T.FLOATS, floats: Array.from(v) }
  return { name, type: T.INTS, ints: v }
}

/** Name → location of each externally stored initializer of an ONNX model file (for readers without ORT). */
export function externalTensors(modelBytes: Uint8Array): Map<string, { dims: number[]; location: string; offset: number; length: number }> {
  const model = onnx.ModelProto.decode(modelBytes)
  const out = new Map<string, { dims: number[]; location: string; offset: number; length: number }>()
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue
    const kv = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']))
    out.set(t.name ?? '', {
      dims: (t.dims ?? []).map(Number),
      location: kv.get('location') ?? '',
      offset: Number(kv.get('offset') ?? 0),
      length: Number(kv.get('length') ?? 0),
    })
  }
  return out
}
