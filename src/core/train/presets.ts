/**
 * Hyperparameters of the PHOENIX paper, which followed the alignment-handbook Zephyr recipe
 * (recipes/zephyr-7b-beta/{sft,dpo}/config_full.yaml) on LeoLM/leo-mistral-hessianai-7b with DeepSpeed
 * ZeRO-3 on 8 GPUs. Per-device batch and gradient accumulation are the recipe's 8-GPU values (global batch
 * 128 for DPO); on fewer GPUs raise gradient accumulation to keep the global batch.
 */
import type { Hyperparameters, LoraConfig, RunKind } from './types'

export const DEFAULT_BASE_MODEL = 'LeoLM/leo-mistral-hessianai-7b'

/** The Mistral attention and MLP projections (alignment-handbook's LoRA target modules). */
export const DEFAULT_LORA: LoraConfig = {
  r: 16,
  alpha: 16,
  dropout: 0.05,
  targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
}

export interface Preset {
  id: string
  kind: RunKind
  label: string
  description: string
  hyperparameters: Hyperparameters
}

const common = {
  maxSteps: 0,
  lrScheduler: 'cosine',
  warmupRatio: 0.1,
  bf16: true,
  gradientCheckpointing: true,
  loggingSteps: 10,
  saveSteps: 100,
  maxSeqLength: 2048,
  maxLength: 1024,
  maxPromptLength: 512,
} as const

export const PRESETS: readonly Preset[] = [
  {
    id: 'phoenix-sft',
    kind: 'sft',
    label: 'PHOENIX SFT (Zephyr recipe)',
    description: 'lr 2e-5, 1 epoch, max_seq_length 2048, cosine, warmup 0.1, bf16',
    hyperparameters: { ...common, learningRate: 2e-5, numTrainEpochs: 1, perDeviceTrainBatchSize: 16, gradientAccumulationSteps: 2, beta: 0 },
  },
  {
    id: 'phoenix-dpo',
    kind: 'dpo',
    label: 'PHOENIX DPO (Zephyr recipe, beta 0.01, 1 epoch)',
    description: 'lr 5e-7, beta 0.01, 1 epoch, max_length 1024, max_prompt_length 512, cosine, warmup 0.1, bf16',
    hyperparameters: { ...common, learningRate: 5e-7, numTrainEpochs: 1, perDeviceTrainBatchSize: 8, gradientAccumulationSteps: 2, beta: 0.01 },
  },
  {
    id: 'phoenix-dpo-beta0.1',
    kind: 'dpo',
    label: 'PHOENIX DPO (alternative: beta 0.1, 3 epochs)',
    description: 'lr 5e-7, beta 0.1, 3 epochs, max_length 1024, max_prompt_length 512, cosine, warmup 0.1, bf16',
    hyperparameters: { ...common, learningRate: 5e-7, numTrainEpochs: 3, perDeviceTrainBatchSize: 8, gradientAccumulationSteps: 2, beta: 0.1 },
  },
]

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id)
}

export function defaultPreset(kind: RunKind): Preset {
  return PRESETS.find((p) => p.kind === kind)!
}

export function presetsFor(kind: RunKind): Preset[] {
  return PRESETS.filter((p) => p.kind === kind)
}
